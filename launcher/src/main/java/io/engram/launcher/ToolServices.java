package io.engram.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The Tool services of a host, seen from the launcher: their names, and a call of one with
 * arguments, as a command of the jar needs them. By reflection, through engram.api's classes as
 * the tool's bundle sees them: the launcher's class path does not hold the API bundle.
 */
final class ToolServices {

    private static final Logger LOG = Logger.getLogger(ToolServices.class.getName());

    static final String TOOL_CLASS = "io.engram.api.tool.Tool";
    private static final String ARGUMENTS_CLASS = "io.engram.api.tool.Arguments";
    private static final String CONTEXT_CLASS = "io.engram.api.tool.ToolContext";
    static final String INVALID_ARGUMENT_CLASS = "io.engram.api.tool.InvalidArgumentException";
    static final String STORE_UNAVAILABLE_CLASS = "io.engram.api.store.StoreUnavailableException";

    /**
     * What a tool call returned.
     *
     * @param error      whether the tool reported a failure (its text says which)
     * @param text       the text block, or null when there is only structured content
     * @param structured the structured content (nested maps, lists, strings, numbers), or null
     */
    record Result(boolean error, String text, Map<String, Object> structured) {
    }

    /** A tool call that did not return a result: the tool threw; the message says why. */
    static final class CallFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        CallFailedException(String message, Throwable cause) {
            super(message, cause);
        }

        /** Whether the tool threw an exception of that class (or of a subclass of it). */
        boolean causedBy(String className) {
            for (Class<?> type = getCause() == null ? null : getCause().getClass(); type != null;
                    type = type.getSuperclass()) {
                if (type.getName().equals(className)) {
                    return true;
                }
            }
            return false;
        }
    }

    private ToolServices() {
    }

    /** Every Tool service registered now. */
    static List<ServiceReference<?>> all(BundleContext system) {
        ServiceReference<?>[] tools;
        try {
            tools = system.getAllServiceReferences(TOOL_CLASS, null);
        } catch (InvalidSyntaxException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
        return tools == null ? List.of() : List.of(tools);
    }

    /** The Tool service of that name, or null when none is registered. */
    static ServiceReference<?> find(BundleContext system, String name) {
        for (ServiceReference<?> tool : all(system)) {
            if (name.equals(name(system, tool))) {
                return tool;
            }
        }
        return null;
    }

    /** Tool.name(), or a note in parentheses when it cannot be had. */
    static String name(BundleContext system, ServiceReference<?> tool) {
        Object service = system.getService(tool);
        if (service == null) {
            return "(unavailable)";
        }
        try {
            return String.valueOf(api(tool, TOOL_CLASS).getMethod("name").invoke(service));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "(name failed: " + e + ")";
        } finally {
            system.ungetService(tool);
        }
    }

    /**
     * Calls the tool as the host's server would, with a context whose {@code namespace()} is
     * {@code sessionNamespace} (what a session's workspace gives), that is never cancelled and logs to
     * java.util.logging.
     *
     * @throws CallFailedException when the tool throws (a bad argument, storage unavailable)
     */
    static Result call(BundleContext system, ServiceReference<?> tool, Map<String, Object> arguments,
            String sessionNamespace) throws CallFailedException {
        Object service = system.getService(tool);
        if (service == null) {
            throw new CallFailedException("the tool is no longer available", null);
        }
        try {
            Class<?> toolClass = api(tool, TOOL_CLASS);
            Class<?> argumentsClass = api(tool, ARGUMENTS_CLASS);
            Class<?> contextClass = api(tool, CONTEXT_CLASS);
            Object args = argumentsClass.getConstructor(Map.class).newInstance(arguments);
            Object context = Proxy.newProxyInstance(contextClass.getClassLoader(), new Class<?>[] {contextClass},
                    new CommandLineContext(sessionNamespace));
            Object result = toolClass.getMethod("call", argumentsClass, contextClass).invoke(service, args, context);
            Class<?> resultClass = result.getClass();
            @SuppressWarnings("unchecked")
            Map<String, Object> structured = (Map<String, Object>) resultClass.getMethod("structuredContent")
                    .invoke(result);
            return new Result((Boolean) resultClass.getMethod("isError").invoke(result),
                    (String) resultClass.getMethod("text").invoke(result), structured);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new CallFailedException(causes(cause), cause);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new CallFailedException("cannot call the tool: " + e, e);
        } finally {
            system.ungetService(tool);
        }
    }

    /** A class of engram.api as the tool's bundle sees it. */
    private static Class<?> api(ServiceReference<?> tool, String className) throws ClassNotFoundException {
        return tool.getBundle().loadClass(className);
    }

    /** The message and the chain of causes, as the host reports a failed call to a client. */
    private static String causes(Throwable failure) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = failure; t != null && parts.size() < 4; t = t.getCause()) {
            String message = t.getMessage();
            parts.add(message == null || message.isBlank() ? t.getClass().getSimpleName() : message);
            if (t.getCause() == t) {
                break;
            }
        }
        return String.join("; caused by ", parts);
    }

    /** The ToolContext of a command-line call: nobody to cancel it or to see progress; logs go to stderr. */
    private record CommandLineContext(String namespace) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "isCancelled":
                    return false;
                case "namespace":
                    return namespace;
                case "progress":
                    return null;
                case "log":
                    LOG.log(level(String.valueOf(args[0])), String.valueOf(args[1]));
                    return null;
                case "toString":
                    return "command-line call in namespace " + namespace;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    if (method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    throw new UnsupportedOperationException(method.getName());
            }
        }

        private static Level level(String mcpLevel) {
            return switch (mcpLevel) {
                case "DEBUG" -> Level.FINE;
                case "INFO", "NOTICE" -> Level.INFO;
                case "WARNING" -> Level.WARNING;
                default -> Level.SEVERE;
            };
        }
    }
}
