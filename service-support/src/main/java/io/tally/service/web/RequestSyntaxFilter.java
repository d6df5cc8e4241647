package io.tally.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with 400 {@code malformed}, a request whose path or query is not valid percent-encoded
 * UTF-8, holds a control character (NUL included) or is longer than {@link #TARGET_CHARS_MAX},
 * before anything parses a parameter. Tomcat refuses most bad paths itself; its query parser would
 * throw an {@code IllegalStateException} subtype at the first {@code getParameter}, and a NUL that
 * got through would reach PostgreSQL, which refuses it with an error.
 */
public class RequestSyntaxFilter extends OncePerRequestFilter {

  /** The longest path or query taken; no Tally request needs a tenth of it. */
  public static final int TARGET_CHARS_MAX = 2048;

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String refused = refusal(request.getRequestURI(), request.getQueryString());
    if (refused != null) {
      HttpProblem problem = HttpProblem.MALFORMED;
      Problems.write(response, problem.status(), problem.code(), refused);
      return;
    }
    chain.doFilter(request, response);
  }

  /** Why the raw (still encoded) path and query are refused, or null if they are not. */
  static @Nullable String refusal(String rawPath, @Nullable String rawQuery) {
    if (rawPath.length() > TARGET_CHARS_MAX) {
      return "The path is longer than " + TARGET_CHARS_MAX + " characters.";
    }
    if (!decodes(rawPath, false)) {
      return "The path is not percent-encoded UTF-8 without control characters.";
    }
    if (rawQuery != null) {
      if (rawQuery.length() > TARGET_CHARS_MAX) {
        return "The query is longer than " + TARGET_CHARS_MAX + " characters.";
      }
      if (!decodes(rawQuery, true)) {
        return "The query is not percent-encoded UTF-8 without control characters.";
      }
    }
    return null;
  }

  /**
   * Whether {@code raw} percent-decodes to valid UTF-8 without control characters ({@code +} is a
   * space in a query).
   */
  private static boolean decodes(String raw, boolean query) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return false;
        }
        int high = Character.digit(raw.charAt(i + 1), 16);
        int low = Character.digit(raw.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return false;
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c > 0x7e || c < 0x20) {
        // The request line holds ASCII only; Tomcat refuses anything else before this runs.
        return false;
      } else {
        bytes.write(query && c == '+' ? ' ' : c);
      }
    }
    CharBuffer decoded;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray()));
    } catch (CharacterCodingException e) {
      return false;
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        return false;
      }
    }
    return true;
  }
}
