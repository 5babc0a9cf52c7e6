/**
 * The streaming HTTP transport shared by CodePilot's model providers: requests with retries,
 * server-sent events and provider error texts.
 */
module dev.codepilot.model.http {
  requires transitive dev.codepilot;
  requires transitive java.net.http;

  exports dev.codepilot.model.http;
}
