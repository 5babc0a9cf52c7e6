package dev.codepilot.tools;

import com.fasterxml.jackson.databind.JavaType;
import dev.codepilot.internal.Json;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Turns the {@link Tool}-annotated methods of an object into tool definitions. */
final class AnnotatedTools {

  private AnnotatedTools() {}

  static List<ToolDefinition> from(Object target) {
    Objects.requireNonNull(target, "target");
    Class<?> type = target.getClass();
    List<Method> methods =
        Arrays.stream(type.getMethods())
            .filter(m -> m.isAnnotationPresent(Tool.class))
            .sorted(Comparator.comparing(Method::getName))
            .toList();
    if (methods.isEmpty()) {
      throw new IllegalArgumentException(
          type.getName() + " has no public methods annotated" + " with @Tool");
    }
    List<ToolDefinition> tools = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Method method : methods) {
      MethodTool tool = MethodTool.of(target, method);
      if (!names.add(tool.name())) {
        throw new IllegalArgumentException(
            type.getName()
                + " has two @Tool methods named '"
                + tool.name()
                + "'; give one another name with @Tool(name = ...)");
      }
      tools.add(tool);
    }
    return List.copyOf(tools);
  }

  /** Java camel case to Python snake case: {@code getHTTPResponse} → {@code get_http_response}. */
  static String snakeCase(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        char before = i > 0 ? name.charAt(i - 1) : '_';
        boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if (before != '_'
            && (Character.isLowerCase(before)
                || Character.isDigit(before)
                || (Character.isUpperCase(before) && nextLower))) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** How one Java parameter gets its value: injected from the call, or from an argument. */
  private sealed interface Binding {}

  private record Injected(Class<?> type) implements Binding {}

  private record Argument(ToolParameter parameter, Class<?> type, Type genericType)
      implements Binding {}

  private static final class MethodTool implements ToolDefinition {

    private final Object target;
    private final Method method;
    private final String name;
    private final String description;
    private final List<Binding> bindings;
    private final List<ToolParameter> parameters;

    private MethodTool(
        Object target, Method method, String name, String description, List<Binding> bindings) {
      this.target = target;
      this.method = method;
      this.name = name;
      this.description = description;
      this.bindings = bindings;
      this.parameters =
          bindings.stream()
              .filter(Argument.class::isInstance)
              .map(b -> ((Argument) b).parameter())
              .toList();
    }

    static MethodTool of(Object target, Method method) {
      String where = method.getDeclaringClass().getName() + "." + method.getName();
      Tool annotation = method.getAnnotation(Tool.class);
      String name = annotation.name().isEmpty() ? snakeCase(method.getName()) : annotation.name();
      try {
        PythonNames.requireToolName(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
      if (Modifier.isStatic(method.getModifiers())) {
        target = null;
      }
      if (!method.canAccess(target) && !method.trySetAccessible()) {
        throw new IllegalArgumentException(
            where
                + " cannot be called from the runtime: make"
                + " the method and its class public");
      }
      List<Binding> bindings = new ArrayList<>();
      boolean optionalSeen = false;
      Set<String> names = new HashSet<>();
      Parameter[] javaParameters = method.getParameters();
      Type[] genericTypes = method.getGenericParameterTypes();
      for (int i = 0; i < javaParameters.length; i++) {
        Parameter p = javaParameters[i];
        Class<?> type = p.getType();
        if (type == ToolInvocation.class || type == ToolContext.class) {
          bindings.add(new Injected(type));
          continue;
        }
        Param param = p.getAnnotation(Param.class);
        String paramName = parameterName(where, p, param);
        if (!names.add(paramName)) {
          throw new IllegalArgumentException(
              where + " has two parameters named '" + paramName + "'");
        }
        ToolParameter parameter;
        try {
          if (param != null && param.optional()) {
            Object defaultValue = defaultValue(where, paramName, param.defaultValue());
            Conversion.convert(name, paramName, defaultValue, type, genericTypes[i]);
            parameter = ToolParameter.optional(paramName, PyType.of(type), defaultValue);
            optionalSeen = true;
          } else {
            if (optionalSeen) {
              throw new IllegalArgumentException(
                  where
                      + ": required parameter '"
                      + paramName
                      + "' comes after an optional one; Python needs the optional ones last");
            }
            parameter = ToolParameter.required(paramName, PyType.of(type));
          }
        } catch (ToolException e) {
          throw new IllegalArgumentException(
              where
                  + ": the default of '"
                  + paramName
                  + "' does not fit its type: "
                  + e.getMessage()
                  + (type.isPrimitive()
                      ? " (a primitive cannot be None; give a defaultValue or use"
                          + " the boxed type)"
                      : ""),
              e);
        }
        bindings.add(new Argument(parameter, type, genericTypes[i]));
      }
      return new MethodTool(
          target, method, name, annotation.value().strip(), List.copyOf(bindings));
    }

    private static String parameterName(String where, Parameter p, Param param) {
      if (param != null && !param.value().isEmpty()) {
        return param.value();
      }
      if (!p.isNamePresent()) {
        throw new IllegalArgumentException(
            where
                + ": parameter names are not in the class file;"
                + " compile with -parameters or name each parameter with @Param(\"name\")");
      }
      return snakeCase(p.getName());
    }

    private static Object defaultValue(String where, String paramName, String json) {
      if (json.isEmpty()) {
        return null;
      }
      try {
        return Json.mapper().readValue(json, Object.class);
      } catch (Exception e) {
        throw new IllegalArgumentException(
            where
                + ": the defaultValue of '"
                + paramName
                + "' must be JSON, for example \"5\", \"true\" or \"\\\"text\\\"\"; got "
                + json,
            e);
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String description() {
      return description;
    }

    @Override
    public List<ToolParameter> parameters() {
      return parameters;
    }

    @Override
    public Object invoke(ToolInvocation call) throws Exception {
      Object[] values = new Object[bindings.size()];
      for (int i = 0; i < values.length; i++) {
        Binding binding = bindings.get(i);
        if (binding instanceof Injected injected) {
          values[i] = injected.type() == ToolInvocation.class ? call : call.context();
        } else {
          Argument argument = (Argument) binding;
          String paramName = argument.parameter().name();
          values[i] =
              Conversion.convert(
                  name, paramName, call.get(paramName), argument.type(), argument.genericType());
        }
      }
      Object result;
      try {
        result = method.invoke(target, values);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception exception) {
          throw exception;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw e;
      }
      return method.getReturnType() == void.class ? null : result;
    }
  }

  /** Converts argument values that came from Python to the declared Java types. */
  static final class Conversion {

    private Conversion() {}

    static Object convert(String tool, String param, Object value, Class<?> type, Type generic)
        throws ToolException {
      if (value == null) {
        if (type.isPrimitive()) {
          throw wrong(tool, param, PyType.of(type).pythonName(), value);
        }
        return null;
      }
      if (type == Object.class) {
        return value;
      }
      if (type == String.class || type == CharSequence.class) {
        if (value instanceof String) {
          return value;
        }
        throw wrong(tool, param, "str", value);
      }
      if (type == boolean.class || type == Boolean.class) {
        if (value instanceof Boolean) {
          return value;
        }
        throw wrong(tool, param, "bool", value);
      }
      if (type == int.class || type == Integer.class) {
        return (int) integer(tool, param, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
      }
      if (type == long.class || type == Long.class) {
        return integer(tool, param, value, Long.MIN_VALUE, Long.MAX_VALUE);
      }
      if (type == short.class || type == Short.class) {
        return (short) integer(tool, param, value, Short.MIN_VALUE, Short.MAX_VALUE);
      }
      if (type == BigInteger.class) {
        if (value instanceof BigInteger big) {
          return big;
        }
        return BigInteger.valueOf(integer(tool, param, value, Long.MIN_VALUE, Long.MAX_VALUE));
      }
      if (type == double.class
          || type == Double.class
          || type == float.class
          || type == Float.class) {
        if (value instanceof Number number) {
          return type == float.class || type == Float.class
              ? (Object) number.floatValue()
              : (Object) number.doubleValue();
        }
        throw wrong(tool, param, "float", value);
      }
      if (type.isEnum()) {
        if (value instanceof String text) {
          for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equalsIgnoreCase(text)) {
              return constant;
            }
          }
          throw ToolException.valueError(
              tool
                  + "(): "
                  + param
                  + " must be one of "
                  + Arrays.stream(type.getEnumConstants())
                      .map(c -> "'" + ((Enum<?>) c).name() + "'")
                      .toList()
                  + ", not '"
                  + text
                  + "'");
        }
        throw wrong(tool, param, "str", value);
      }
      boolean wantsList =
          type.isArray() || Collection.class.isAssignableFrom(type) || type == Iterable.class;
      if (wantsList && !(value instanceof List)) {
        throw wrong(tool, param, "list", value);
      }
      if (Map.class.isAssignableFrom(type) && !(value instanceof Map)) {
        throw wrong(tool, param, "dict", value);
      }
      JavaType javaType =
          Json.mapper().constructType(type == Iterable.class ? List.class : generic);
      try {
        return Json.mapper().convertValue(value, javaType);
      } catch (IllegalArgumentException e) {
        if (!wantsList && !Map.class.isAssignableFrom(type) && !(value instanceof Map)) {
          throw wrong(tool, param, "a dict with the fields of " + type.getSimpleName(), value);
        }
        String reason = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        throw ToolException.typeError(
            tool
                + "(): "
                + param
                + " does not fit "
                + javaType.toCanonical().replaceAll("[a-z]+\\.", "")
                + ": "
                + reason);
      }
    }

    private static long integer(String tool, String param, Object value, long min, long max)
        throws ToolException {
      long result;
      if (value instanceof Integer || value instanceof Long || value instanceof Short) {
        result = ((Number) value).longValue();
      } else if (value instanceof BigInteger big) {
        if (big.bitLength() > 63) {
          throw outOfRange(tool, param, value);
        }
        result = big.longValue();
      } else if (value instanceof Double d
          && d == Math.rint(d)
          && !d.isInfinite()
          && Math.abs(d) < 9.0e18) {
        result = d.longValue();
      } else {
        throw wrong(tool, param, "int", value);
      }
      if (result < min || result > max) {
        throw outOfRange(tool, param, value);
      }
      return result;
    }

    private static ToolException outOfRange(String tool, String param, Object value) {
      return ToolException.valueError(tool + "(): " + param + " = " + value + " is out of range");
    }

    private static ToolException wrong(String tool, String param, String expected, Object value) {
      return ToolException.typeError(
          tool
              + "(): "
              + param
              + " must be "
              + expected
              + ", not "
              + ToolInvocation.pythonTypeName(value));
    }
  }
}
