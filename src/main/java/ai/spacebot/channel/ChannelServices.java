package ai.spacebot.channel;

import ai.spacebot.bus.EventPublisher;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.llm.routing.ModelRouter;
import ai.spacebot.messaging.OutboxDispatcher;
import ai.spacebot.secrets.OutboundGuard;
import ai.spacebot.secrets.SecretScrubber;
import ai.spacebot.store.TranscriptRepository;

/** What every channel of one verticle instance shares. */
record ChannelServices(
    SpacebotConfig config,
    TranscriptRepository transcript,
    ModelRouter router,
    IdentityStore identities,
    EventPublisher events,
    OutboxDispatcher outbox,
    String promptTemplate,
    SecretScrubber scrubber,
    OutboundGuard guard,
    /** Per-sender rate limits, shared by every conversation of this instance. */
    RateLimiter senderLimits) {}
