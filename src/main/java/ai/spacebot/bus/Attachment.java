package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * A file that came with an inbound message. The adapter downloads it (it holds the platform token) into the
 * agent's workspace; the channel then shows it to the model: an image as a vision part, a text-like file
 * inline up to a cap, anything else as a mention of where it was saved.
 *
 * @param path where the adapter saved it, relative to the agent's workspace (null if it could not be fetched)
 * @param error why it could not be fetched (too large, the platform refused), or null
 */
public record Attachment(String name, String mimeType, long size, String path, String error) {
  public boolean isImage() {
    return mimeType != null && mimeType.startsWith("image/");
  }

  public boolean isText() {
    if (mimeType == null) {
      return false;
    }
    return mimeType.startsWith("text/") || mimeType.equals("application/json") || mimeType.equals("application/xml")
        || mimeType.endsWith("+json") || mimeType.endsWith("+xml") || mimeType.equals("application/x-yaml")
        || mimeType.equals("application/yaml") || mimeType.equals("application/javascript");
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("mime_type", mimeType).put("size", size).put("path", path)
        .put("error", error);
  }

  public static Attachment fromJson(JsonObject json) {
    return new Attachment(json.getString("name"), json.getString("mime_type"), json.getLong("size", 0L),
        json.getString("path"), json.getString("error"));
  }
}
