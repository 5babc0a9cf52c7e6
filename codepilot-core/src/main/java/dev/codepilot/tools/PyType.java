package dev.codepilot.tools;

/** The Python types a tool parameter may declare, as shown in the tool's signature. */
public enum PyType {
  /** {@code str}: a Java {@code String}. */
  STR("str"),
  /** {@code int}: a Java {@code Long} (or {@code BigInteger} when larger). */
  INT("int"),
  /** {@code float}: a Java {@code Double}. */
  FLOAT("float"),
  /** {@code bool}: a Java {@code Boolean}. */
  BOOL("bool"),
  /** {@code list}: a Java {@code List}. */
  LIST("list"),
  /** {@code dict} with {@code str} keys: a Java {@code Map<String, Object>}. */
  DICT("dict"),
  /** Any of the above, passed as it came. */
  ANY("Any");

  private final String pythonName;

  PyType(String pythonName) {
    this.pythonName = pythonName;
  }

  /** The name used in signatures, for example {@code str}. */
  public String pythonName() {
    return pythonName;
  }

  /** The Python type matching a Java parameter type, {@link #ANY} when there is none. */
  public static PyType of(Class<?> type) {
    if (type == String.class || type == CharSequence.class) {
      return STR;
    }
    if (type == int.class
        || type == long.class
        || type == Integer.class
        || type == Long.class
        || type == short.class
        || type == Short.class
        || type == java.math.BigInteger.class) {
      return INT;
    }
    if (type == double.class
        || type == float.class
        || type == Double.class
        || type == Float.class) {
      return FLOAT;
    }
    if (type == boolean.class || type == Boolean.class) {
      return BOOL;
    }
    if (java.util.List.class.isAssignableFrom(type) || type.isArray()) {
      return LIST;
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return DICT;
    }
    return ANY;
  }
}
