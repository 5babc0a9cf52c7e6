package dev.codepilot.sandbox;

import dev.codepilot.internal.Json;
import dev.codepilot.tools.ToolReply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * The crossing between a block's tool call and the host. Arguments arrive as fresh copies made of
 * Python's built-in types only ({@code _plain} in the bootstrap), so reading them runs no code of
 * the block; a block that calls the host function some other way may hand over objects whose
 * reading runs its code, which is why the sandbox reads them with the watchdog running. Replies
 * leave as one string whose first character says what follows, so nothing but text goes back.
 */
final class BlockValues {

  private static final int MAX_DEPTH = 64;

  /**
   * About 4200 decimal digits, just under Python's own limit for turning an int into text: a bigger
   * number would cost the host real time to print in an event or a permission prompt.
   */
  private static final int MAX_INTEGER_BITS = 14_000;

  private BlockValues() {}

  /** The named arguments of a call: a list of names and a list of values of equal length. */
  static Map<String, Object> arguments(Value names, Value values) {
    if (!names.hasArrayElements() || !values.hasArrayElements()) {
      throw new IllegalArgumentException("malformed arguments");
    }
    // Each question to a guest value is a call into the interpreter: ask for the size once.
    long size = names.getArraySize();
    if (size != values.getArraySize()) {
      throw new IllegalArgumentException("malformed arguments");
    }
    Map<String, Object> arguments = new LinkedHashMap<>();
    for (long i = 0; i < size; i++) {
      Value name = names.getArrayElement(i);
      if (!name.isString()) {
        throw new IllegalArgumentException("argument names must be str");
      }
      arguments.put(name.asString(), toJava(values.getArrayElement(i), 0));
    }
    return arguments;
  }

  private static Object toJava(Value value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("arguments are nested too deeply");
    }
    // Strings first: most arguments are.
    if (value.isString()) {
      return value.asString();
    }
    if (value.isNull()) {
      return null;
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isNumber()) {
      if (value.fitsInLong()) {
        return value.asLong();
      }
      if (value.fitsInBigInteger()) {
        java.math.BigInteger number = value.asBigInteger();
        if (number.bitLength() > MAX_INTEGER_BITS) {
          throw new IllegalArgumentException("int arguments may have at most about 4200 digits");
        }
        return number;
      }
      if (value.fitsInDouble()) {
        return value.asDouble();
      }
      throw new IllegalArgumentException("unsupported number");
    }
    if (value.hasArrayElements()) {
      List<Object> list = new ArrayList<>((int) Math.min(value.getArraySize(), 1 << 16));
      for (long i = 0; i < value.getArraySize(); i++) {
        list.add(toJava(value.getArrayElement(i), depth + 1));
      }
      return list;
    }
    if (value.hasHashEntries()) {
      Map<String, Object> map = new LinkedHashMap<>();
      Value iterator = value.getHashEntriesIterator();
      while (iterator.hasIteratorNextElement()) {
        Value entry = iterator.getIteratorNextElement();
        Value key = entry.getArrayElement(0);
        if (!key.isString()) {
          throw new IllegalArgumentException("dict keys must be str");
        }
        map.put(key.asString(), toJava(entry.getArrayElement(1), depth + 1));
      }
      return map;
    }
    throw new IllegalArgumentException(
        "arguments must be plain data" + " (str, int, float, bool, None, list, dict)");
  }

  /**
   * The reply as the bootstrap's {@code _call} reads it: {@code n} None, {@code t}/{@code f}
   * booleans, {@code s<text>}, {@code i<integer>}, {@code d<float>}, {@code j<json>} for lists and
   * maps, {@code e<ExceptionType>\n<message>} for a failure.
   */
  static String encode(ToolReply reply) {
    return switch (reply) {
      case ToolReply.Raised raised -> "e" + raised.pythonType() + "\n" + raised.message();
      case ToolReply.Returned returned ->
          switch (returned.value()) {
            case null -> "n";
            case String text -> "s" + text;
            case Boolean flag -> flag ? "t" : "f";
            case Long number -> "i" + number;
            case java.math.BigInteger number -> "i" + number;
            case Double number when Double.isFinite(number) -> "d" + number;
            default -> "j" + Json.write(returned.value());
          };
    };
  }
}
