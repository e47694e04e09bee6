package ai.spacebot.channel;

import ai.spacebot.bus.EventPublisher;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.llm.ModelCatalog;
import ai.spacebot.messaging.OutboxDispatcher;
import ai.spacebot.store.TranscriptRepository;

/** What every channel of one verticle instance shares. */
record ChannelServices(
    SpacebotConfig config,
    TranscriptRepository transcript,
    ModelCatalog models,
    IdentityStore identities,
    EventPublisher events,
    OutboxDispatcher outbox,
    String promptTemplate) {}
