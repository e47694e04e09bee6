package ai.spacebot.channel;

/**
 * A branch or worker result waiting for a turn: its transcript row, its history line, its line past the re-trigger
 * cap, and the role of the turn that started the process (the turn it re-triggers acts for the same people).
 */
record PendingResult(String rowId, String text, String cappedText, TurnRole role) {}
