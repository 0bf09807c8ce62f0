package l2l.dsl.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Strict JSON for l2l's files: reading bytes into a JSON object with a precise diagnosis of what
 * is wrong (missing, empty, not UTF-8, truncated, not JSON), typed getters that name the field
 * that is missing or of the wrong type, a readable layout (arrays of numbers on one line), and
 * the canonical compact form that checksums are computed over.
 */
public final class Json {
  private Json() {}

  /** Compact JSON with no HTML escaping; also the canonical form for checksums. */
  static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  /** What is wrong with a file's content; callers turn it into an {@link L2lFileException} naming the file. */
  public static final class Bad extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Says what is wrong. */
    public Bad(String message) {
      super(message);
    }

    /** Says what is wrong, with the cause. */
    public Bad(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // ------------------------------------------------------------------ reading

  /** The bytes of a file; a missing, unreadable or non-regular file is {@link Bad}. */
  static byte[] readBytes(Path file) {
    try {
      if (Files.isDirectory(file)) throw new Bad("is a folder, not a file");
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new Bad("no such file", e);
    } catch (AccessDeniedException e) {
      throw new Bad("cannot be read (permission denied)", e);
    } catch (IOException e) {
      throw new Bad("cannot be read: " + AtomicFiles.describe(e), e);
    }
  }

  /** Parses a whole file's bytes as one JSON object, strictly. */
  static JsonObject parseObject(byte[] bytes, String what) {
    if (bytes.length == 0) throw new Bad("is empty (0 bytes); expected " + what);
    String text = utf8(bytes);
    int first = 0;
    while (first < text.length() && Character.isWhitespace(text.charAt(first))) first++;
    if (first == text.length()) throw new Bad("holds only white space; expected " + what);
    if (text.charAt(first) != '{') {
      throw new Bad("is not JSON (it starts with " + describeChar(text.charAt(first)) + "); expected " + what);
    }
    String truncated = truncation(text);
    JsonElement e;
    try {
      JsonReader r = new JsonReader(new StringReader(text));
      r.setStrictness(Strictness.STRICT);
      e = JsonParser.parseReader(r);
      if (r.peek() != JsonToken.END_DOCUMENT) throw new Bad("is not valid JSON: there is more after the top-level object");
    } catch (Bad b) {
      throw b;
    } catch (RuntimeException | IOException | StackOverflowError x) {
      if (truncated != null) throw new Bad("is truncated: " + truncated + " (" + text.length() + " characters)", x);
      throw new Bad("is not valid JSON: " + oneLine(x.getMessage()), x);
    }
    if (truncated != null) throw new Bad("is truncated: " + truncated + " (" + text.length() + " characters)");
    if (!e.isJsonObject()) throw new Bad("is not a JSON object; expected " + what);
    return e.getAsJsonObject();
  }

  private static String utf8(byte[] bytes) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      CharBuffer out = d.decode(in);
      return out.toString();
    } catch (MalformedInputException e) {
      throw new Bad("is not UTF-8 text (an invalid byte sequence near byte " + in.position() + ")", e);
    } catch (CharacterCodingException e) {
      throw new Bad("is not UTF-8 text", e);
    }
  }

  /** If the text ends inside a string, object or array: where; else null. */
  private static String truncation(String text) {
    int depth = 0;
    boolean inString = false, escape = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (escape) escape = false;
        else if (c == '\\') escape = true;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth < 0) return null;
      }
    }
    if (inString) return "it ends inside a string";
    if (depth > 0) return "it ends with " + depth + " unclosed object" + (depth == 1 ? "" : "s") + " or array"
        + (depth == 1 ? "" : "s");
    return null;
  }

  private static String describeChar(char c) {
    if (c >= 0x20 && c < 0x7f) return "'" + c + "'";
    return String.format("the character U+%04X", (int) c);
  }

  static String oneLine(String s) {
    if (s == null) return "(no details)";
    String t = s.replaceAll("\\s+", " ").trim();
    int see = t.indexOf(" See https://");
    if (see > 0) t = t.substring(0, see);
    return t;
  }

  // ------------------------------------------------------------------ typed access

  /** The member {@code key} of {@code o}, which must be present and not null; {@code where} prefixes messages. */
  static JsonElement member(JsonObject o, String where, String key) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) throw new Bad("has no field '" + path(where, key) + "'");
    return e;
  }

  static String path(String where, String key) {
    return where.isEmpty() ? key : where + "." + key;
  }

  /** A JSON object member. */
  static JsonObject object(JsonObject o, String where, String key) {
    JsonElement e = member(o, where, key);
    if (!e.isJsonObject()) throw new Bad("field '" + path(where, key) + "' must be an object, got " + show(e));
    return e.getAsJsonObject();
  }

  /** A JSON array member. */
  static JsonArray array(JsonObject o, String where, String key) {
    JsonElement e = member(o, where, key);
    if (!e.isJsonArray()) throw new Bad("field '" + path(where, key) + "' must be an array, got " + show(e));
    return e.getAsJsonArray();
  }

  /** A string member. */
  static String string(JsonObject o, String where, String key) {
    JsonElement e = member(o, where, key);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new Bad("field '" + path(where, key) + "' must be a string, got " + show(e));
    }
    return e.getAsString();
  }

  /** A whole-number member in int range. */
  static int integer(JsonObject o, String where, String key) {
    return integer(member(o, where, key), path(where, key));
  }

  static int integer(JsonElement e, String what) {
    long v = longValue(e, what);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new Bad(what + " is out of range: " + v);
    return (int) v;
  }

  /** A whole-number member. */
  static long longValue(JsonObject o, String where, String key) {
    return longValue(member(o, where, key), path(where, key));
  }

  static long longValue(JsonElement e, String what) {
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new Bad(what + " must be a whole number, got " + show(e));
    }
    try {
      return Long.parseLong(e.getAsString());
    } catch (NumberFormatException x) {
      throw new Bad(what + " must be a whole number, got " + show(e), x);
    }
  }

  /** A number member; the strings "NaN", "Infinity", "-Infinity" stand for those values. */
  static double real(JsonObject o, String where, String key) {
    return real(member(o, where, key), path(where, key));
  }

  static double real(JsonElement e, String what) {
    if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      if (p.isNumber()) {
        try {
          return Double.parseDouble(p.getAsString());
        } catch (NumberFormatException x) {
          throw new Bad(what + " must be a number, got " + show(e), x);
        }
      }
      if (p.isString()) {
        switch (p.getAsString()) {
          case "NaN": return Double.NaN;
          case "Infinity": return Double.POSITIVE_INFINITY;
          case "-Infinity": return Double.NEGATIVE_INFINITY;
          default: break;
        }
      }
    }
    throw new Bad(what + " must be a number, got " + show(e));
  }

  /** A boolean member. */
  static boolean bool(JsonObject o, String where, String key) {
    JsonElement e = member(o, where, key);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw new Bad("field '" + path(where, key) + "' must be true or false, got " + show(e));
    }
    return e.getAsBoolean();
  }

  /** A short rendering of a value for messages. */
  static String show(JsonElement e) {
    if (e == null || e.isJsonNull()) return "null";
    if (e.isJsonObject()) return "an object";
    if (e.isJsonArray()) return "an array";
    String s = e.toString();
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }

  // ------------------------------------------------------------------ writing

  /** A JSON number, or for NaN and ±∞ the strings "NaN", "Infinity", "-Infinity". */
  public static JsonElement number(double v) {
    return Double.isFinite(v) ? new JsonPrimitive(v) : new JsonPrimitive(Double.toString(v));
  }

  /** A JSON number for a finite value, else null. */
  public static JsonElement finiteOrNull(double v) {
    return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
  }

  /** Compact JSON, the canonical form checksums are computed over. */
  public static String compact(JsonElement e) {
    return GSON.toJson(e);
  }

  /**
   * Indented JSON for people: objects one member per line, arrays of plain values on one line
   * (a 21×80 weight matrix is one line, not 1680).
   */
  public static String pretty(JsonElement e) {
    StringBuilder sb = new StringBuilder();
    pretty(e, sb, 0);
    return sb.append('\n').toString();
  }

  private static void pretty(JsonElement e, StringBuilder sb, int indent) {
    if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      if (o.size() == 0) {
        sb.append("{}");
        return;
      }
      sb.append("{\n");
      int i = 0;
      for (Map.Entry<String, JsonElement> m : o.entrySet()) {
        indent(sb, indent + 1);
        sb.append(GSON.toJson(new JsonPrimitive(m.getKey()))).append(": ");
        pretty(m.getValue(), sb, indent + 1);
        sb.append(++i < o.size() ? ",\n" : "\n");
      }
      indent(sb, indent);
      sb.append('}');
    } else if (e.isJsonArray()) {
      JsonArray a = e.getAsJsonArray();
      boolean flat = true;
      for (JsonElement x : a) flat &= x.isJsonPrimitive() || x.isJsonNull();
      if (flat) {
        sb.append('[');
        for (int i = 0; i < a.size(); i++) sb.append(i > 0 ? ", " : "").append(GSON.toJson(a.get(i)));
        sb.append(']');
        return;
      }
      sb.append("[\n");
      for (int i = 0; i < a.size(); i++) {
        indent(sb, indent + 1);
        pretty(a.get(i), sb, indent + 1);
        sb.append(i + 1 < a.size() ? ",\n" : "\n");
      }
      indent(sb, indent);
      sb.append(']');
    } else {
      sb.append(GSON.toJson(e));
    }
  }

  private static void indent(StringBuilder sb, int n) {
    for (int i = 0; i < n; i++) sb.append("  ");
  }

  /** The lowercase hex SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
