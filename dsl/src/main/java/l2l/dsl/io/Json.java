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

    /** Says what is wrong (control characters a file's text brought in are escaped: the message is one line). */
    public Bad(String message) {
      super(escapeControls(message));
    }

    /** Says what is wrong, with the cause. */
    public Bad(String message, Throwable cause) {
      super(escapeControls(message), cause);
    }

    private static String escapeControls(String message) {
      StringBuilder sb = new StringBuilder(message.length());
      message.codePoints().forEach(c -> {
        if (Character.isISOControl(c)) sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
        else sb.appendCodePoint(c);
      });
      return sb.toString();
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
    if (text.isBlank()) throw new Bad("holds only white space; expected " + what);
    String fault = Syntax.fault(text);
    if (fault != null) throw new Bad(fault + (fault.startsWith("is not JSON") ? "; expected " + what : ""));
    JsonElement e;
    try {
      JsonReader r = new JsonReader(new StringReader(text));
      r.setStrictness(Strictness.STRICT);
      e = JsonParser.parseReader(r);
    } catch (StackOverflowError x) {
      throw new Bad("is nested too deeply to read; expected " + what);
    } catch (RuntimeException x) {
      throw new Bad("is not valid JSON: " + oneLine(x.getMessage()), x);
    }
    if (!e.isJsonObject()) {
      throw new Bad("is JSON but " + (e.isJsonArray() ? "an array" : e.isJsonNull() ? "null" : "the single value "
          + show(e)) + ", not an object; expected " + what);
    }
    return e.getAsJsonObject();
  }

  /**
   * The first fault that keeps a text from being exactly one strict JSON value (RFC 8259), said for
   * people with its line and column: a text that ends inside a string, object or array is
   * truncated; anything else is not JSON. Iterative, so deep nesting costs no stack.
   */
  static final class Syntax {
    private final String t;
    private int i;
    private final StringBuilder open = new StringBuilder();

    private Syntax(String text) {
      t = text;
    }

    /** The fault ("is truncated: …", "is not JSON …", "is not valid JSON: …"), or null if the text is strict JSON. */
    static String fault(String text) {
      try {
        new Syntax(text).value();
        return null;
      } catch (Bad b) {
        return b.getMessage();
      }
    }

    private void value() {
      while (true) {
        ws();
        char c = peek("a value");
        if (c == '{' || c == '[') {
          char close = c == '{' ? '}' : ']';
          open.append(c);
          i++;
          ws();
          if (peek(c == '{' ? "a name" : "a value") != close) {
            if (c == '{') name();
            continue;
          }
          i++;
          open.setLength(open.length() - 1);
        } else if (c == '"') {
          string();
        } else if (c == '-' || c >= '0' && c <= '9') {
          number();
        } else if (!literal("true") && !literal("false") && !literal("null")) {
          throw open.length() == 0 ? new Bad("is not JSON (it starts with " + found() + ")")
              : invalid("expected a value, found " + found());
        }
        // after a value: close what ends here; a comma starts the next element or member
        while (true) {
          ws();
          if (open.length() == 0) {
            if (i < t.length()) throw invalid("more after the top-level value: " + found());
            return;
          }
          char container = open.charAt(open.length() - 1);
          char close = container == '{' ? '}' : ']';
          char d = peek("',' or '" + close + "'");
          if (d == close) {
            i++;
            open.setLength(open.length() - 1);
          } else if (d == ',') {
            i++;
            ws();
            if (peek("a value") == close) throw invalid("a comma before '" + close + "'");
            if (container == '{') name();
            break;
          } else {
            throw invalid("expected ',' or '" + close + "' after a value, found " + found());
          }
        }
      }
    }

    /** A member's name and its colon. */
    private void name() {
      char c = peek("a name");
      if (c != '"') {
        throw invalid(Character.isLetter(c) || c == '_' ? "a name without double quotes"
            : "expected a name in double quotes, found " + found());
      }
      string();
      ws();
      char d = peek("':'");
      if (d != ':') throw invalid("expected ':' after a name, found " + found());
      i++;
    }

    private void string() {
      i++;
      while (true) {
        if (i >= t.length()) throw truncated("it ends inside a string");
        char c = t.charAt(i);
        if (c == '"') {
          i++;
          return;
        }
        if (c < 0x20) throw invalid("an unescaped control character (" + describe(c) + ") inside a string");
        if (c == '\\') {
          i++;
          if (i >= t.length()) throw truncated("it ends inside a string");
          char e = t.charAt(i);
          if (e == 'u') {
            for (int k = 1; k <= 4; k++) {
              if (i + k >= t.length()) throw truncated("it ends inside a string");
              if (Character.digit(t.charAt(i + k), 16) < 0) throw invalid("a \\u escape without four hex digits");
            }
            i += 4;
          } else if ("\"\\/bfnrt".indexOf(e) < 0) {
            i--;
            throw invalid("an invalid escape '\\" + e + "' in a string");
          }
        }
        i++;
      }
    }

    private void number() {
      int start = i;
      if (t.charAt(i) == '-') i++;
      if (i < t.length() && (t.charAt(i) == 'I' || t.charAt(i) == 'N')) throw invalid("found " + found());
      int whole = i;
      if (digits() == 0) throw malformed(start);
      if (i - whole > 1 && t.charAt(whole) == '0') {
        i = start;
        throw invalid("a number with a leading zero");
      }
      if (i < t.length() && t.charAt(i) == '.') {
        i++;
        if (digits() == 0) throw malformed(start);
      }
      if (i < t.length() && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
        i++;
        if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) i++;
        if (digits() == 0) throw malformed(start);
      }
    }

    private int digits() {
      int n = 0;
      while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
        n++;
      }
      return n;
    }

    private Bad malformed(int start) {
      if (i >= t.length() && open.length() > 0) return truncated(unclosed());
      i = start;
      return invalid("a malformed number");
    }

    private boolean literal(String word) {
      if (t.startsWith(word, i)) {
        i += word.length();
        return true;
      }
      if (t.length() - i < word.length() && word.startsWith(t.substring(i)) && open.length() > 0) {
        throw truncated(unclosed());
      }
      return false;
    }

    private char peek(String expected) {
      if (i < t.length()) return t.charAt(i);
      throw open.length() > 0 ? truncated(unclosed()) : invalid("expected " + expected + " at the end");
    }

    private void ws() {
      while (i < t.length() && (t.charAt(i) == ' ' || t.charAt(i) == '\t' || t.charAt(i) == '\n' || t.charAt(i) == '\r')) i++;
    }

    private String unclosed() {
      int depth = open.length();
      return "it ends with " + depth + " unclosed object" + (depth == 1 ? "" : "s") + " or array" + (depth == 1 ? "" : "s");
    }

    private Bad truncated(String how) {
      return new Bad("is truncated: " + how + " (" + t.length() + " characters)");
    }

    private Bad invalid(String what) {
      return new Bad("is not valid JSON: " + what + " at " + where(i));
    }

    private String where(int at) {
      int line = 1, col = 1;
      for (int k = 0; k < at && k < t.length(); k++) {
        if (t.charAt(k) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      return "line " + line + ", column " + col;
    }

    /** What is at the current position, for messages: a word, a comment, a single quote, NaN or a character. */
    private String found() {
      char c = t.charAt(i);
      if (c == '/') return "a comment (JSON has none)";
      if (c == '\'') return "a single quote (JSON strings need double quotes)";
      int end = i;
      while (end < t.length() && end - i < 20 && Character.isLetterOrDigit(t.charAt(end))) end++;
      String word = t.substring(i, end);
      if (word.equals("NaN") || word.equals("Infinity")) return word + ", which is not a JSON number";
      return end - i > 1 ? "'" + word + "'" : describe(c);
    }
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

  private static String describe(char c) {
    if (c >= 0x20 && c < 0x7f) return "'" + c + "'";
    return String.format("the character U+%04X", (int) c);
  }

  /** A parser's message on one line, without exception class names, parser hints or links. */
  static String oneLine(String s) {
    if (s == null) return "(no details)";
    String t = s.replaceAll("\\s+", " ").replaceAll("([a-z]\\w*\\.)+\\w*(Exception|Error): ", "")
        .replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON").trim();
    int see = t.indexOf(" See https://");
    return see > 0 ? t.substring(0, see) : t;
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
