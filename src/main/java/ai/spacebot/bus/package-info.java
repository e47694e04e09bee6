/**
 * Every event-bus address and every message that crosses a process boundary.
 *
 * <p>All payloads are {@link io.vertx.core.json.JsonObject}s with snake_case keys, so any process can
 * run on another clustered node. The records here convert to and from that JSON; nothing else in the
 * code base builds bus payloads by hand.
 *
 * <h2>Addresses</h2>
 * <ul>
 *   <li>{@link ai.spacebot.bus.Addresses#INBOUND} — request: an {@link ai.spacebot.bus.InboundMessage}
 *       from any adapter (portal, Discord, ...). Reply: {@link ai.spacebot.bus.Accepted} once the message
 *       is durably stored (or recognised as a duplicate).</li>
 *   <li>{@link ai.spacebot.bus.Addresses#channelShard(int)} — local hand-off from intake to the channel
 *       verticle instance that owns the conversation.</li>
 *   <li>{@link ai.spacebot.bus.Addresses#outbound(String)} — request: an
 *       {@link ai.spacebot.bus.OutboundMessage} for one platform's adapter. Reply: an empty ack once
 *       delivered; failure code {@link ai.spacebot.bus.Addresses#PERMANENT_FAILURE} means "do not retry".</li>
 *   <li>{@link ai.spacebot.bus.Addresses#EVENTS} — publish: every {@link ai.spacebot.bus.AgentEvent}; the
 *       HTTP event stream of every node subscribes.</li>
 *   <li>{@link ai.spacebot.bus.Addresses#HISTORY} — request {@code {conversation_id, limit}}, reply
 *       {@code {messages:[...]}} from the transcript.</li>
 *   <li>{@link ai.spacebot.bus.Addresses#CHANNEL_STATUS} — request {}, reply {@code {channels, busy}}.</li>
 *   <li>{@code spacebot.memory.*} ({@link ai.spacebot.bus.Addresses#MEMORY_SAVE} and its siblings) — the memory
 *       service: save, get, list, search, forget, graph, consolidate, import, reindex, maintain; JSON request, JSON
 *       reply, failure code 400 for bad input.</li>
 *   <li>{@link ai.spacebot.bus.Addresses#BRANCH_START} / {@link ai.spacebot.bus.Addresses#WORKER_START} — request:
 *       {@link ai.spacebot.bus.BranchStart} / {@link ai.spacebot.bus.WorkerStart} from a channel; any node's Branch or
 *       Worker verticle takes it and replies once the process runs. The start carries the forked history (LangChain4j's
 *       JSON form) and {@code reply_to}, the channel instance's inbox.</li>
 *   <li>{@link ai.spacebot.bus.Addresses#channelInbox(String)} — what a branch or worker tells its channel:
 *       {@link ai.spacebot.bus.ProcessReport} (result, status, and a branch's spawn_worker request, which is
 *       request/reply so the channel's caps apply).</li>
 *   <li>{@link ai.spacebot.bus.Addresses#process(String)} — one running process's control address:
 *       {@link ai.spacebot.bus.ProcessControl} cancel or input (route); failure 404 once it has ended.</li>
 *   <li>{@link ai.spacebot.bus.Addresses#TRANSCRIPT_SEARCH}, {@link ai.spacebot.bus.Addresses#CHANNEL_LIST} — the
 *       channel verticle's transcript queries (channel_recall, GET /api/channels).</li>
 *   <li>{@link ai.spacebot.bus.Addresses#CHANNEL_SENT_ELSEWHERE} — publish {@code {conversation_id, text}}: the agent
 *       posted in this conversation from another one ({@code send_message_to_another_channel}, addressed with a
 *       {@link ai.spacebot.bus.DeliveryTarget}); the channel instance that has it open takes it into history.</li>
 *   <li>{@link ai.spacebot.bus.Addresses#COMPACTOR_CHECK} ({@link ai.spacebot.bus.CompactionCheck} →
 *       {@link ai.spacebot.bus.CompactionDecision}) and {@link ai.spacebot.bus.Addresses#COMPACTOR_SUMMARIZE} — the
 *       Compactor.</li>
 *   <li>{@link ai.spacebot.bus.Addresses#CORTEX_PROCESSES}, {@link ai.spacebot.bus.Addresses#CORTEX_CANCEL} — the
 *       Cortex's process table ({@link ai.spacebot.bus.ProcessInfo}, built from the lifecycle events) and cancels.</li>
 * </ul>
 */
package ai.spacebot.bus;
