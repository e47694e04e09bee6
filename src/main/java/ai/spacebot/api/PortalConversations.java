package ai.spacebot.api;

/** The conversation id of a web-chat session, as the portal adapter and the transcript know it. */
final class PortalConversations {
  private PortalConversations() {}

  static String id(String agentId, String sessionId) {
    return "portal:chat:" + agentId + ":" + sessionId;
  }
}
