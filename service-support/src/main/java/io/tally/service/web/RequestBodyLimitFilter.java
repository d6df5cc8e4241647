package io.tally.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds request bodies for a service whose controllers let a message converter read them: a
 * declared length above the limit is refused at once with 413 {@code too-large}; a body without a
 * declared length (chunked) is cut at the limit, so the converter fails and the request is refused
 * as {@code malformed}. Nothing reads more than the limit.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

  private final long bytesMax;

  public RequestBodyLimitFilter(DataSize max) {
    this.bytesMax = max.toBytes();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > bytesMax) {
      HttpProblem problem = HttpProblem.TOO_LARGE;
      Problems.write(
          response,
          problem.status(),
          problem.code(),
          "The request body is larger than " + bytesMax + " bytes.");
      return;
    }
    chain.doFilter(new Limited(request, bytesMax), response);
  }

  /** The request with a body stream that ends in an error beyond the limit. */
  private static final class Limited extends HttpServletRequestWrapper {
    private final long bytesMax;
    private @org.jspecify.annotations.Nullable ServletInputStream stream;

    Limited(HttpServletRequest request, long bytesMax) {
      super(request);
      this.bytesMax = bytesMax;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      ServletInputStream limited = stream;
      if (limited == null) {
        limited = new LimitedStream(super.getInputStream(), bytesMax);
        stream = limited;
      }
      return limited;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class LimitedStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long bytesMax;
    private long read;

    LimitedStream(ServletInputStream in, long bytesMax) {
      this.in = in;
      this.bytesMax = bytesMax;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, (int) Math.min(length, bytesMax - read + 1));
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > bytesMax) {
        throw new IOException("the request body is larger than " + bytesMax + " bytes");
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
