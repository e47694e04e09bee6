package ai.spacebot.bus;

/** The event-bus addresses; see {@code package-info.java} for who sends what. */
public final class Addresses {
  public static final String INBOUND = "spacebot.inbound";
  public static final String EVENTS = "spacebot.events";
  public static final String HISTORY = "spacebot.transcript.history";
  public static final String CHANNEL_STATUS = "spacebot.channel.status";

  /** Memory service (request/reply, JSON in and out; failure code 400 = bad input). */
  public static final String MEMORY_SAVE = "spacebot.memory.save";
  public static final String MEMORY_GET = "spacebot.memory.get";
  public static final String MEMORY_LIST = "spacebot.memory.list";
  public static final String MEMORY_SEARCH = "spacebot.memory.search";
  public static final String MEMORY_FORGET = "spacebot.memory.forget";
  public static final String MEMORY_GRAPH = "spacebot.memory.graph";
  /** Request {agent_id, survivor_id, absorbed_ids:[...]}; reply {memory} (the survivor). */
  public static final String MEMORY_CONSOLIDATE = "spacebot.memory.consolidate";
  public static final String MEMORY_IMPORT = "spacebot.memory.import";
  /** Request {agent_id, progress_address}; {done, total} updates are sent to progress_address. */
  public static final String MEMORY_REINDEX = "spacebot.memory.reindex";
  /** Request {agent_id, passes: [decay, prune, merge, associate]}; replies with what each pass did. */
  public static final String MEMORY_MAINTAIN = "spacebot.memory.maintain";

  /** Branch process: request {@link BranchStart} (any node takes it), reply {@code {}} once it runs. */
  public static final String BRANCH_START = "spacebot.branch.start";
  /** Worker process: request {@link WorkerStart} (any node takes it), reply {@code {}} once it runs. */
  public static final String WORKER_START = "spacebot.worker.start";
  /** Request {conversation_id, query, limit}; reply {messages:[...]} matching the query, newest first. */
  public static final String TRANSCRIPT_SEARCH = "spacebot.transcript.search";
  /**
   * Request {agent_id?, limit?}; reply {channels:[{channel_id, agent_id, platform, display_name, created_at,
   * last_activity_at, messages, model_override}]}, most recently active first.
   */
  public static final String CHANNEL_LIST = "spacebot.channel.list";
  /**
   * Publish {conversation_id, text}: the agent sent this to the conversation from another one (already in the
   * transcript and the outbox); the channel that has the conversation open adds it to its history as its own words.
   */
  public static final String CHANNEL_SENT_ELSEWHERE = "spacebot.channel.sent";
  /** Request {channel_id, agent_id, model|null}: pin a conversation to a model (null unpins); reply {channel_id, model}. */
  public static final String CHANNEL_MODEL = "spacebot.channel.model";
  /** Compactor: request {@link CompactionCheck}, reply {@link CompactionDecision}. */
  public static final String COMPACTOR_CHECK = "spacebot.compactor.check";
  /** Compactor: request {agent_id, channel_id, messages:[chat messages]}, reply {summary}. */
  public static final String COMPACTOR_SUMMARIZE = "spacebot.compactor.summarize";
  /** Cortex process table: request {agent_id?, channel_id?}, reply {processes:[{@link ProcessInfo}]}. */
  public static final String CORTEX_PROCESSES = "spacebot.cortex.processes";
  /** Request {channel_id, process_id, reason?}; the cortex cancels it. Failure 404 when no such process runs. */
  public static final String CORTEX_CANCEL = "spacebot.cortex.cancel";

  /** Usage ledger: send a {@link UsageRecord} (no reply). */
  public static final String USAGE_RECORD = "spacebot.usage.record";
  /**
   * Request {agent_id, from?, to? (epoch ms, default today in the agent's budget zone), group_by: model|day|process};
   * reply {agent_id, from, to (ISO-8601), timezone, group_by, rows:[{key, calls, input_tokens, output_tokens,
   * cached_tokens, cost_usd, failed}], total_cost_usd}. Failure 400 names the field.
   */
  public static final String USAGE_QUERY = "spacebot.usage.query";
  /**
   * Request {agent_id, daily_usd?, conversation_daily_usd?}: an operator changes a budget at run time (a number
   * sets it, null goes back to the config, a missing key leaves it); reply the effective budget.
   */
  public static final String BUDGET_SET = "spacebot.usage.budget.set";
  /** Request {}: reply {blocked:[{agent_id, conversation_id?, until, budget_usd, spent_usd, timezone}]}, what is over budget now. */
  public static final String BUDGET_STATE = "spacebot.usage.budget.state";
  /**
   * Publish {agent_id, conversation_id?, blocked, until, budget_usd, spent_usd, timezone} (the last four only when
   * blocked): a scope went over (or back under) its budget.
   */
  public static final String BUDGET_CHANGED = "spacebot.usage.budget.changed";
  /** Publish {model, until, reason}: every node skips that model until then (429 past retries, quota). */
  public static final String MODEL_COOLDOWN = "spacebot.llm.cooldown";

  /** Request {@link MessageEdit}: a person edited or deleted a message; reply {updated: bool}. No turn runs. */
  public static final String INBOUND_EDIT = "spacebot.inbound.edit";
  /** Request {adapter, key}: reply {value} (null when unset). What an adapter keeps across restarts (Telegram's update offset). */
  public static final String ADAPTER_STATE_GET = "spacebot.adapter.state.get";
  /** Request {adapter, key, value}: stored durably before the reply {}. */
  public static final String ADAPTER_STATE_PUT = "spacebot.adapter.state.put";
  /**
   * Shared-data map (cluster-wide when clustered) of every adapter's {@link AdapterStatus}, keyed by adapter
   * name; each adapter writes its own entry, {@code GET /api/adapters} reads them all.
   */
  public static final String ADAPTERS_MAP = "spacebot.adapters";
  /**
   * Request {state?: pending|delivered|failed, platform?, limit?}: reply {deliveries:[{id, message_id,
   * conversation_id, platform, kind, status, attempts, last_error, platform_message_ids, created_at, updated_at,
   * text}]}, newest first.
   */
  public static final String DELIVERIES_LIST = "spacebot.deliveries.list";
  /**
   * Request {conversation_id, after, limit}: what the outbox holds for one conversation after the cursor, oldest
   * first, as the platform would get it (secrets redacted); reply {messages:[{cursor, message_id, kind, text, rich,
   * in_reply_to, status, created_at}], next_cursor}. The generic webhook's polling route reads it.
   */
  public static final String OUTBOX_AFTER = "spacebot.outbox.after";
  /** Request {id}: a failed delivery goes back to pending and is sent again; reply {id, status}. Failure 404/409. */
  public static final String DELIVERY_RETRY = "spacebot.deliveries.retry";

  /** A running branch's or worker's control address: {@link ProcessControl} (cancel, input). */
  public static String process(String processId) {
    return "spacebot.process." + processId;
  }

  /**
   * One channel verticle instance's inbox for what its branches and workers report ({@link ProcessReport}):
   * results, status lines, and spawn requests. Clustered, so a process on another node reaches it.
   */
  public static String channelInbox(String instanceId) {
    return "spacebot.channel.inbox." + instanceId;
  }

  /** Where one long memory operation reports its progress. */
  public static String memoryProgress(String operationId) {
    return "spacebot.memory.progress." + operationId;
  }

  /** Reply failure code an adapter uses for an error that retrying cannot fix (bad target, 4xx). */
  public static final int PERMANENT_FAILURE = 400;

  private Addresses() {}

  public static String channelShard(int shard) {
    return "spacebot.channel.shard." + shard;
  }

  /** Node-local control messages for one channel shard ({type: model, channel_id, model}). */
  public static String channelShardControl(int shard) {
    return "spacebot.channel.shard." + shard + ".control";
  }

  public static String outbound(String platform) {
    return "spacebot.outbound." + platform;
  }

  /**
   * Request {secret, body}: a platform's webhook call, handed by the API server to that platform's adapter;
   * reply {} once the update is stored; failure 401 for a wrong secret, 400 for a body that is not an update.
   */
  public static String webhook(String platform) {
    return "spacebot.webhook." + platform;
  }

  /** Publish {@link TypingSignal}s for one platform's conversations; its adapter shows and refreshes "typing…". */
  public static String typing(String platform) {
    return "spacebot.typing." + platform;
  }
}
