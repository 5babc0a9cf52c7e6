package dev.codepilot.server;

/**
 * A request the API refuses, with the HTTP status to answer and a message for the client. It
 * becomes {@code {"error": "<message>"}}.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException unauthorized(String message) {
    return new ApiException(401, message);
  }

  static ApiException forbidden(String message) {
    return new ApiException(403, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  static ApiException conflict(String message) {
    return new ApiException(409, message);
  }

  static ApiException tooLarge(String message) {
    return new ApiException(413, message);
  }

  static ApiException unavailable(String message) {
    return new ApiException(503, message);
  }
}
