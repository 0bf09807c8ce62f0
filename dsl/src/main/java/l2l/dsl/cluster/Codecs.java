package l2l.dsl.cluster;

import com.google.gson.JsonParser;
import com.hazelcast.config.CompactSerializationConfig;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.vavr.Tuple2;
import io.vavr.collection.List;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Function;
import l2l.autodiff.Autodiff.ValueAndGrad;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.dsl.MetaTask;
import l2l.dsl.cluster.ClusterWorkers.Advance;
import l2l.dsl.cluster.ClusterWorkers.Advanced;
import l2l.dsl.cluster.ClusterWorkers.Outcome;
import l2l.dsl.cluster.ClusterWorkers.TaskEntry;
import l2l.dsl.io.ArchitectureJson;
import l2l.dsl.io.Json;
import l2l.optimizers.learned.Perturbations;

/**
 * The compact serialisation of everything l2l sends between members: trees of tensors (names in
 * depth-first order, each node's kind, leaf shapes, and all values as one array of doubles, so
 * every bit comes back), a task's carried state (without its task, which is rebuilt from the
 * seed, and its engine), persistent-ES particles, and the messages of {@link ClusterWorkers} and
 * {@link ClusterCurves}.
 */
final class Codecs {
  private Codecs() {}

  /** Registers every codec. */
  static void register(CompactSerializationConfig c) {
    c.addSerializer(codec(Tree.class, "l2l.Tree", Codecs::writeTree, Codecs::readTree));
    c.addSerializer(codec(MetaTask.State.class, "l2l.TaskState", (w, s) -> {
      w.writeInt32("index", s.epoch());
      w.writeInt32("truncation", s.truncation());
      w.writeCompact("theta", s.theta());
      w.writeCompact("optState", s.optState());
      writeLast(w, "last", s.last());
      w.writeArrayOfFloat64("losses", s.losses());
      w.writeFloat64("initialLoss", s.initialLoss());
      Perturbations.Persistent p = s.particles();
      w.writeArrayOfCompact("plus", p == null ? null : p.plus().toJavaArray(Perturbations.Particle[]::new));
      w.writeArrayOfCompact("minus", p == null ? null : p.minus().toJavaArray(Perturbations.Particle[]::new));
      w.writeArrayOfCompact("xi", p == null ? null : p.xi().toJavaArray(Tree[]::new));
    }, r -> {
      Perturbations.Particle[] plus = r.readArrayOfCompact("plus", Perturbations.Particle.class);
      return new MetaTask.State(r.readInt32("index"), r.readInt32("truncation"), null, r.readCompact("theta"),
          r.readCompact("optState"), readLast(r, "last"), r.readArrayOfFloat64("losses"), r.readFloat64("initialLoss"),
          null, plus == null ? null : new Perturbations.Persistent(List.of(plus),
              List.of(r.readArrayOfCompact("minus", Perturbations.Particle.class)),
              List.of(r.readArrayOfCompact("xi", Tree.class))));
    }));
    c.addSerializer(codec(Perturbations.Particle.class, "l2l.Particle", (w, p) -> {
      w.writeCompact("theta", p.theta());
      w.writeCompact("state", p.state());
      writeLast(w, "last", p.last());
    }, r -> new Perturbations.Particle(r.readCompact("theta"), r.readCompact("state"), readLast(r, "last"))));
    c.addSerializer(codec(Outcome.class, "l2l.Outcome", (w, o) -> {
      w.writeFloat64("metaLoss", o.metaLoss());
      w.writeCompact("grad", o.grad());
      w.writeInt32("index", o.index());
      w.writeInt32("truncation", o.truncation());
      w.writeArrayOfFloat64("losses", o.losses());
      w.writeFloat64("initialLoss", o.initialLoss());
      w.writeString("error", o.error());
    }, r -> new Outcome(r.readFloat64("metaLoss"), r.readCompact("grad"), r.readInt32("index"),
        r.readInt32("truncation"), r.readArrayOfFloat64("losses"), r.readFloat64("initialLoss"),
        r.readString("error"))));
    c.addSerializer(codec(TaskEntry.class, "l2l.TaskEntry", (w, e) -> {
      w.writeInt32("index", e.index());
      w.writeInt32("truncation", e.truncation());
      w.writeInt64("phiHash", e.phiHash());
      w.writeCompact("state", e.state());
      w.writeCompact("answer", e.answer());
    }, r -> new TaskEntry(r.readInt32("index"), r.readInt32("truncation"), r.readInt64("phiHash"),
        r.readCompact("state"), r.readCompact("answer"))));
    c.addSerializer(codec(Advance.class, "l2l.Advance", (w, a) -> {
      w.writeString("task", a.task);
      w.writeString("map", a.map);
      w.writeCompact("phi", a.phi);
      w.writeInt64("phiHash", a.phiHash);
      w.writeArrayOfString("keys", a.keys);
      w.writeArrayOfInt32("indices", a.indices);
      w.writeArrayOfInt32("truncations", a.truncations);
    }, r -> new Advance(r.readString("task"), r.readString("map"), r.readCompact("phi"), r.readInt64("phiHash"),
        r.readArrayOfString("keys"), r.readArrayOfInt32("indices"), r.readArrayOfInt32("truncations"))));
    c.addSerializer(codec(Advanced.class, "l2l.Advanced", (w, a) -> w.writeArrayOfCompact("outcomes", a.outcomes()),
        r -> new Advanced(r.readArrayOfCompact("outcomes", Outcome.class))));
    c.addSerializer(codec(Recipe.class, "l2l.Recipe", (w, x) -> {
      w.writeString("baseline", x.baseline());
      w.writeFloat64("lr", x.lr());
      w.writeString("architecture", x.architecture() == null ? null
          : Json.compact(ArchitectureJson.write(x.architecture())));
      w.writeCompact("phi", x.phi());
    }, r -> {
      String a = r.readString("architecture");
      return new Recipe(r.readString("baseline"), r.readFloat64("lr"), a == null ? null
          : ArchitectureJson.read(JsonParser.parseString(a).getAsJsonObject(), "architecture"), r.readCompact("phi"));
    }));
    c.addSerializer(codec(ClusterCurves.Curves.class, "l2l.Curves", (w, x) -> {
      w.writeString("problem", x.problem);
      w.writeInt32("steps", x.steps);
      w.writeCompact("optimizer", x.optimizer);
      w.writeArrayOfInt64("seeds", x.seeds);
    }, r -> new ClusterCurves.Curves(r.readString("problem"), r.readInt32("steps"), r.readCompact("optimizer"),
        r.readArrayOfInt64("seeds"))));
  }

  private static <T> CompactSerializer<T> codec(Class<T> type, String name, BiConsumer<CompactWriter, T> write,
      Function<CompactReader, T> read) {
    return new CompactSerializer<>() {
      @Override
      public T read(CompactReader r) {
        return read.apply(r);
      }

      @Override
      public void write(CompactWriter w, T value) {
        write.accept(w, value);
      }

      @Override
      public String getTypeName() {
        return name;
      }

      @Override
      public Class<T> getCompactClass() {
        return type;
      }
    };
  }

  private static void writeLast(CompactWriter w, String name, ValueAndGrad<Tree> last) {
    w.writeCompact(name + "Value", last == null ? null : Tree.leaf(last.value()));
    w.writeCompact(name + "Grad", last == null ? null : last.grad());
  }

  private static ValueAndGrad<Tree> readLast(CompactReader r, String name) {
    Tree value = r.readCompact(name + "Value");
    return value == null ? null : new ValueAndGrad<>(value.tensor(), r.readCompact(name + "Grad"));
  }

  /** A tree: its nodes' names depth first (the root's is ""), kinds (−1 a leaf, else the branch's size), leaves. */
  private static void writeTree(CompactWriter w, Tree t) {
    java.util.List<String> names = new ArrayList<>();
    java.util.List<Integer> kinds = new ArrayList<>();
    java.util.List<Tensor> leaves = new ArrayList<>();
    walk("", t, names, kinds, leaves);
    w.writeArrayOfString("names", names.toArray(String[]::new));
    w.writeArrayOfInt32("kinds", kinds.stream().mapToInt(Integer::intValue).toArray());
    w.writeArrayOfInt32("rows", leaves.stream().mapToInt(Tensor::rows).toArray());
    w.writeArrayOfInt32("cols", leaves.stream().mapToInt(Tensor::cols).toArray());
    w.writeArrayOfFloat64("values", leaves.stream().flatMapToDouble(x -> Arrays.stream(x.toArray())).toArray());
  }

  private static void walk(String name, Tree t, java.util.List<String> names, java.util.List<Integer> kinds,
      java.util.List<Tensor> leaves) {
    names.add(name);
    if (t.isLeaf()) {
      kinds.add(-1);
      leaves.add(t.tensor());
      return;
    }
    kinds.add(t.names().size());
    for (Tuple2<String, Tree> e : t.entries()) walk(e._1, e._2, names, kinds, leaves);
  }

  private static Tree readTree(CompactReader r) {
    String[] names = r.readArrayOfString("names");
    int[] kinds = r.readArrayOfInt32("kinds"), rows = r.readArrayOfInt32("rows"), cols = r.readArrayOfInt32("cols");
    double[] values = r.readArrayOfFloat64("values");
    int[] at = {0, 0, 0};  // node, leaf, value
    Tree t = node(names, kinds, rows, cols, values, at);
    if (at[0] != names.length || at[2] != values.length) throw new IllegalArgumentException("a malformed tree");
    return t;
  }

  private static Tree node(String[] names, int[] kinds, int[] rows, int[] cols, double[] values, int[] at) {
    int k = kinds[at[0]++];
    if (k < 0) {
      int leaf = at[1]++, n = Math.multiplyExact(rows[leaf], cols[leaf]);
      Tensor x = Tensor.fromRowMajor(rows[leaf], cols[leaf], Arrays.copyOfRange(values, at[2], at[2] + n));
      at[2] += n;
      return Tree.leaf(x);
    }
    Tree t = Tree.empty();
    for (int c = 0; c < k; c++) {
      String name = names[at[0]];
      t = t.with(name, node(names, kinds, rows, cols, values, at));
    }
    return t;
  }
}
