package l2l.dsl.docs;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet of the READMEs compiles: each block is the body of a method, with the
 * library's packages imported, compiled against the test class path.
 */
class ReadmeSnippetsTest {
  static final String IMPORTS = "import java.util.function.*; import io.vavr.collection.List; import l2l.autodiff.*;"
      + " import l2l.optimizers.*; import l2l.optimizers.learned.*; import l2l.problems.*; import l2l.dsl.*;"
      + " import static l2l.optimizers.learned.MetaGradient.*;";

  static List<String> snippets(Path markdown) throws IOException {
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(markdown));
    List<String> out = new ArrayList<>();
    while (m.find()) out.add(m.group(1));
    return out;
  }

  @Test
  void everyJavaSnippetOfTheReadmesCompiles() throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "the tests run on a JDK");
    Path root = Path.of("").toAbsolutePath().getParent();
    int count = 0;
    for (String readme : new String[] {"README.md", "autodiff/README.md", "optimizers/README.md", "problems/README.md",
        "dsl/README.md"}) {
      List<String> blocks = snippets(root.resolve(readme));
      for (int i = 0; i < blocks.size(); i++) {
        String name = "Snippet" + count++;
        String source = IMPORTS + " class " + name + " { void run() throws Exception {\n" + blocks.get(i) + "\n} }";
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
        StringWriter errors = new StringWriter();
        Path out = Files.createTempDirectory("snippet");
        boolean ok = javac.getTask(errors, null, null, List.of("-proc:none", "-d", out.toString(), "-classpath",
            System.getProperty("java.class.path")), null, List.of(file)).call();
        assertTrue(ok, readme + ", Java block " + (i + 1) + " does not compile:\n" + errors + "\n" + blocks.get(i));
      }
    }
    assertTrue(count >= 4, "the READMEs show the library in Java (" + count + " blocks)");
  }
}
