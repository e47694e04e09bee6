package ai.spacebot.api;

import ai.spacebot.bus.Addressing;

/**
 * Who sent a request: the operator (the API token, or anyone when no token is configured), or a web-chat
 * visitor holding a session token for one conversation.
 *
 * @param agentId a visitor's agent; null for the operator
 * @param sessionId a visitor's session; null for the operator
 */
record Caller(String agentId, String sessionId) {
  static final Caller OPERATOR = new Caller(null, null);
  /** The key under which the guard leaves the caller in the routing context. */
  static final String KEY = "spacebot.caller";
  /** A visitor's messages: answered like the operator's, but the sender has no authority over the bot. */
  private static final Addressing VISITOR = new Addressing(false, false, Addressing.ACTIVE, false, false);

  static Caller visitor(String agentId, String sessionId) {
    return new Caller(agentId, sessionId);
  }

  boolean operator() {
    return sessionId == null;
  }

  /** The only conversation a visitor may touch. */
  String conversationId() {
    return PortalConversations.id(agentId, sessionId);
  }

  Addressing addressing() {
    return operator() ? Addressing.DEFAULT : VISITOR;
  }
}
