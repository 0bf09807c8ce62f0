package l2l.dsl.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.vavr.Tuple2;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * A {@link Tree} as a JSON array of its nodes, depth first, in order: each leaf is
 * {@code {"path": "lstm0/w", "shape": [21, 80], "values": [...]}} (or {@code "base64"} instead of
 * {@code "values"}: the doubles as big-endian IEEE-754, 8 bytes each, row-major), and each branch
 * without entries is {@code {"path": "a/b", "empty": true}} so that no subtree is lost (an
 * optimizer's state may hold empty ones). A root leaf has the path "". Values printed as JSON
 * numbers use {@link Double#toString}, which reads back to the same double.
 */
public final class TreeJson {
  private TreeJson() {}

  /** The most values one entry may hold (8 bytes each, so that they fit one Java array of bytes). */
  public static final int MAX_VALUES = Integer.MAX_VALUE / 8;

  /** How leaf values are written. */
  public enum Values {
    /** JSON numbers ({@link Double#toString}); only for finite values. */
    NUMBERS,
    /** Base64 of big-endian IEEE-754 doubles: exact bits, NaN and ∞ included. */
    BASE64
  }

  /** The tree's nodes as a JSON array. */
  public static JsonArray write(Tree tree, Values values) {
    JsonArray out = new JsonArray();
    write(tree, "", values, out);
    return out;
  }

  private static void write(Tree t, String path, Values values, JsonArray out) {
    if (t.isLeaf()) {
      Tensor x = t.tensor();
      JsonObject o = new JsonObject();
      o.addProperty("path", path);
      JsonArray shape = new JsonArray();
      shape.add(x.rows());
      shape.add(x.cols());
      o.add("shape", shape);
      double[] v = x.toArray();
      if (values == Values.NUMBERS) {
        JsonArray a = new JsonArray(v.length);
        for (double d : v) {
          if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("entry '" + path + "' holds a non-finite value (" + d
                + "); it cannot be written as a JSON number");
          }
          a.add(new JsonPrimitive(d));
        }
        o.add("values", a);
      } else {
        o.addProperty("base64", Base64.getEncoder().encodeToString(bytes(v)));
      }
      out.add(o);
      return;
    }
    if (t.names().isEmpty() && !path.isEmpty()) {
      JsonObject o = new JsonObject();
      o.addProperty("path", path);
      o.addProperty("empty", true);
      out.add(o);
      return;
    }
    for (Tuple2<String, Tree> e : t.entries()) write(e._2, path.isEmpty() ? e._1 : path + "/" + e._1, values, out);
  }

  /** The doubles as big-endian IEEE-754 bytes. */
  public static byte[] bytes(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 8);
    for (double d : v) b.putDouble(d);
    return b.array();
  }

  /**
   * The tree of a JSON array written by {@link #write}; anything malformed is {@link Json.Bad}
   * naming {@code where} and the entry.
   */
  public static Tree read(JsonElement nodes, String where) {
    if (!nodes.isJsonArray()) throw new Json.Bad("field '" + where + "' must be an array of entries, got " + Json.show(nodes));
    JsonArray a = nodes.getAsJsonArray();
    Tree tree = Tree.empty();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < a.size(); i++) {
      String at = where + "[" + i + "]";
      JsonElement n = a.get(i);
      if (!n.isJsonObject()) throw new Json.Bad("field '" + at + "' must be an object, got " + Json.show(n));
      JsonObject o = n.getAsJsonObject();
      String path = Json.string(o, at, "path");
      if (!seen.add(path)) throw new Json.Bad(where + " has the entry '" + path + "' twice");
      Tree node;
      if (o.has("empty")) {
        if (!Json.bool(o, at, "empty")) throw new Json.Bad("field '" + at + ".empty' must be true when present");
        node = Tree.empty();
      } else {
        node = Tree.leaf(tensor(o, at, path));
      }
      if (path.isEmpty()) {
        if (a.size() != 1 || !node.isLeaf()) {
          throw new Json.Bad(where + ": the path \"\" (a root leaf) must be the only entry");
        }
        return node;
      }
      tree = insert(tree, path.split("/", -1), 0, node, where, path);
    }
    return tree;
  }

  private static Tensor tensor(JsonObject o, String at, String path) {
    JsonArray shape = Json.array(o, at, "shape");
    if (shape.size() != 2) throw new Json.Bad("entry '" + path + "' must have a shape [rows, cols], got " + shape);
    int rows = Json.integer(shape.get(0), "the rows of entry '" + path + "'");
    int cols = Json.integer(shape.get(1), "the columns of entry '" + path + "'");
    if (rows < 1 || cols < 1 || (long) rows * cols > MAX_VALUES) {
      throw new Json.Bad("entry '" + path + "' has an impossible shape " + rows + "×" + cols);
    }
    int n = rows * cols;
    double[] v;
    if (o.has("values")) {
      JsonArray values = Json.array(o, at, "values");
      if (values.size() != n) {
        throw new Json.Bad("entry '" + path + "' has shape " + rows + "×" + cols + " (" + n + " values) but holds "
            + values.size() + " values");
      }
      v = new double[n];
      for (int i = 0; i < n; i++) v[i] = Json.real(values.get(i), "value " + i + " of entry '" + path + "'");
    } else if (o.has("base64")) {
      byte[] b;
      try {
        b = Base64.getDecoder().decode(Json.string(o, at, "base64"));
      } catch (IllegalArgumentException e) {
        throw new Json.Bad("entry '" + path + "' has malformed base64: " + e.getMessage(), e);
      }
      if (b.length != 8L * n) {
        throw new Json.Bad("entry '" + path + "' has shape " + rows + "×" + cols + " (" + (8L * n) + " bytes) but holds "
            + b.length + " bytes");
      }
      v = new double[n];
      ByteBuffer.wrap(b).asDoubleBuffer().get(v);
    } else {
      throw new Json.Bad("entry '" + path + "' has neither 'values' nor 'base64'");
    }
    return Tensor.fromRowMajor(rows, cols, v);
  }

  private static Tree insert(Tree t, String[] parts, int i, Tree node, String where, String path) {
    String name = parts[i];
    if (name.isEmpty()) throw new Json.Bad(where + ": the path '" + path + "' has an empty name");
    if (i == parts.length - 1) {
      if (t.has(name)) throw new Json.Bad(where + ": the path '" + path + "' is given twice");
      return t.with(name, node);
    }
    Tree child = t.has(name) ? t.get(name) : Tree.empty();
    if (child.isLeaf()) throw new Json.Bad(where + ": the path '" + path + "' goes below a leaf");
    return t.with(name, insert(child, parts, i + 1, node, where, path));
  }
}
