package io.tally.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** What went wrong with a local file, said in words rather than as a Java exception's name. */
final class LocalFiles {

  private LocalFiles() {}

  /** {@code e} as a sentence naming the file: "no such file: /nonexistent". */
  static String describe(IOException e) {
    if (e instanceof NoSuchFileException missing) {
      return "no such file: " + missing.getFile();
    }
    if (e instanceof AccessDeniedException denied) {
      return "permission denied: " + denied.getFile();
    }
    if (e instanceof FileSystemException withReason && withReason.getReason() != null) {
      return withReason.getFile() + ": " + withReason.getReason();
    }
    if (e instanceof FileAlreadyExistsException exists) {
      return exists.getFile() + " exists already (tally never overwrites a file it would create)";
    }
    if (e instanceof NotDirectoryException notDirectory) {
      return "not a directory: " + notDirectory.getFile();
    }
    if (e instanceof DirectoryNotEmptyException notEmpty) {
      return "directory not empty: " + notEmpty.getFile();
    }
    if (e instanceof FileSystemException other) {
      return other.getFile()
          + ": "
          + (other.getReason() == null ? "cannot be read or written" : other.getReason());
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? "a local file could not be read" : message;
  }
}
