package io.kcpj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * kcpj-bom lists exactly the published modules (the root pom's modules with jar packaging whose pom
 * does not set {@code kcpj.publish.skip} to true), at the parent's version: a module added to the
 * build and published is added to the BOM too.
 */
class BomTest {

  @Test
  void theBomListsEveryPublishedModuleAndNothingElse() throws Exception {
    Path root = RepositoryRoot.find();
    Document parent = parse(root.resolve("pom.xml"));
    TreeSet<String> published = new TreeSet<>();
    for (String module : texts(child(parent.getDocumentElement(), "modules"), "module")) {
      Document pom = parse(root.resolve(module).resolve("pom.xml"));
      Element project = pom.getDocumentElement();
      Element packaging = child(project, "packaging");
      boolean jar = packaging == null || packaging.getTextContent().strip().equals("jar");
      Element properties = child(project, "properties");
      Element skip = properties == null ? null : child(properties, "kcpj.publish.skip");
      if (jar && (skip == null || !skip.getTextContent().strip().equals("true"))) {
        published.add(child(project, "artifactId").getTextContent().strip());
      }
    }

    Document bom = parse(root.resolve("kcpj-bom/pom.xml"));
    Element bomProject = bom.getDocumentElement();
    TreeSet<String> listed = new TreeSet<>();
    Element managed = child(child(bomProject, "dependencyManagement"), "dependencies");
    for (Element dependency : children(managed, "dependency")) {
      assertEquals("io.kcpj", child(dependency, "groupId").getTextContent().strip());
      assertEquals("${project.version}", child(dependency, "version").getTextContent().strip());
      listed.add(child(dependency, "artifactId").getTextContent().strip());
    }
    assertEquals(published, listed, "kcpj-bom/pom.xml against the published modules");
    assertEquals(
        child(parent.getDocumentElement(), "version").getTextContent().strip(),
        child(bomProject, "version").getTextContent().strip(),
        "kcpj-bom's version against kcpj-parent's");
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(false);
    try (var in = Files.newInputStream(pom)) {
      return factory.newDocumentBuilder().parse(in);
    }
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element && n.getNodeName().equals(name)) {
        found.add((Element) n);
      }
    }
    return found;
  }

  private static List<String> texts(Element parent, String name) {
    List<String> texts = new ArrayList<>();
    for (Element e : children(parent, name)) {
      texts.add(e.getTextContent().strip());
    }
    return texts;
  }
}
