package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Each shipped {@code config/<pid>.cfg} lists every setting of the component configured by that
 * PID, with a comment and the default value; the settings and defaults are read from the component
 * descriptions (bnd writes each default as a component property) in the bundles inside engram.jar.
 */
class ShippedConfigTest {

    private static final Path SHIPPED = Path.of("../config");

    /** Component property defaults by configuration PID, from every bundle in engram.jar. */
    private static Map<String, Map<String, String>> defaultsByPid() throws Exception {
        Map<String, Map<String, String>> byPid = new TreeMap<>();
        try (JarFile launcher = new JarFile(McpProcess.jar().toFile())) {
            for (JarEntry entry : launcher.stream().toList()) {
                if (!entry.getName().startsWith("bundles/") || !entry.getName().endsWith(".jar")) {
                    continue;
                }
                try (JarInputStream bundle = new JarInputStream(launcher.getInputStream(entry))) {
                    for (JarEntry inner; (inner = bundle.getNextJarEntry()) != null; ) {
                        if (inner.getName().startsWith("OSGI-INF/") && inner.getName().endsWith(".xml")) {
                            readComponent(bundle.readAllBytes(), byPid);
                        }
                    }
                }
            }
        }
        return byPid;
    }

    private static void readComponent(byte[] xml, Map<String, Map<String, String>> byPid) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element component;
        try (InputStream in = new ByteArrayInputStream(xml)) {
            component = factory.newDocumentBuilder().parse(in).getDocumentElement();
        }
        String pid = component.getAttribute("configuration-pid");
        if (pid.isEmpty()) {
            return;
        }
        Map<String, String> defaults = new TreeMap<>();
        NodeList properties = component.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            defaults.put(property.getAttribute("name"), property.getAttribute("value"));
        }
        byPid.put(pid, defaults);
    }

    @Test
    void everySettingIsDocumentedWithItsDefault() throws Exception {
        Map<String, Map<String, String>> byPid = defaultsByPid();
        assertEquals(List.of("engram.compat", "engram.kg", "engram.mcp", "engram.memory", "engram.storage"),
                new ArrayList<>(byPid.keySet()));
        for (Map.Entry<String, Map<String, String>> component : byPid.entrySet()) {
            Path cfg = SHIPPED.resolve(component.getKey() + ".cfg");
            String text = Files.readString(cfg, StandardCharsets.UTF_8);
            Properties shipped = new Properties();
            shipped.load(new StringReader(text));
            Map<String, String> values = new TreeMap<>();
            shipped.forEach((key, value) -> values.put((String) key, (String) value));
            assertEquals(component.getValue(), values, cfg + " lists every setting with its default, and no other");
            for (String paragraph : text.split("\n\\s*\n")) {
                boolean setsSomething = paragraph.lines().anyMatch(line -> !line.isBlank() && !line.startsWith("#"));
                assertFalse(setsSomething && paragraph.lines().noneMatch(line -> line.startsWith("#")),
                        cfg + ": a setting without a comment:\n" + paragraph);
            }
            assertTrue(text.contains("default"), cfg + " says its values are the defaults");
        }
    }
}
