package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/**
 * {@link Faults} as the admin endpoint reads and writes them: {@code
 * {"latencyMs","errorRate","hangRate","rateLimitRate","retryAfterSeconds","failFirst","rateLimitFirst"}}.
 * A missing field means "none" for that fault.
 */
final class FaultsJson {
  private static final Set<String> FIELDS =
      Set.of(
          "latencyMs",
          "errorRate",
          "hangRate",
          "rateLimitRate",
          "retryAfterSeconds",
          "failFirst",
          "rateLimitFirst");

  private FaultsJson() {}

  static ObjectNode write(Faults f) {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    o.put("latencyMs", f.latency().toMillis());
    o.put("errorRate", f.errorRate());
    o.put("hangRate", f.hangRate());
    o.put("rateLimitRate", f.rateLimitRate());
    if (f.retryAfter() == null) {
      o.putNull("retryAfterSeconds");
    } else {
      o.put("retryAfterSeconds", f.retryAfter().toSeconds());
    }
    o.put("failFirst", f.failFirst());
    o.put("rateLimitFirst", f.rateLimitFirst());
    return o;
  }

  /**
   * Throws {@link BadRequest} naming the field at fault. Unknown fields are refused: a typo must
   * not pass.
   */
  static Faults read(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new BadRequest("Request body must be a JSON object");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new BadRequest(
            "Unknown field "
                + name
                + "; accepted: "
                + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    Faults.Builder b = Faults.builder();
    try {
      JsonNode latency = json.get("latencyMs");
      if (present(latency)) {
        b.latency(Duration.ofMillis(nonNegativeLong("latencyMs", latency)));
      }
      b.errorRate(rate("errorRate", json.get("errorRate")));
      b.hangRate(rate("hangRate", json.get("hangRate")));
      b.rateLimitRate(rate("rateLimitRate", json.get("rateLimitRate")));
      JsonNode retryAfter = json.get("retryAfterSeconds");
      if (present(retryAfter)) {
        b.retryAfter(Duration.ofSeconds(nonNegativeLong("retryAfterSeconds", retryAfter)));
      }
      JsonNode failFirst = json.get("failFirst");
      if (present(failFirst)) {
        b.failFirst(Math.toIntExact(nonNegativeLong("failFirst", failFirst)));
      }
      JsonNode rateLimitFirst = json.get("rateLimitFirst");
      if (present(rateLimitFirst)) {
        b.rateLimitFirst(Math.toIntExact(nonNegativeLong("rateLimitFirst", rateLimitFirst)));
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new BadRequest(e.getMessage());
    }
    return b.build();
  }

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull();
  }

  private static double rate(String name, JsonNode node) {
    if (!present(node)) {
      return 0;
    }
    if (!node.isNumber() || node.asDouble() < 0 || node.asDouble() > 1) {
      throw new BadRequest(name + " must be a number between 0 and 1");
    }
    return node.asDouble();
  }

  private static long nonNegativeLong(String name, JsonNode node) {
    if (!node.isNumber()
        || !node.canConvertToExactIntegral()
        || !node.canConvertToLong()
        || node.asLong() < 0) {
      throw new BadRequest(name + " must be a whole number of at least 0");
    }
    return node.asLong();
  }
}
