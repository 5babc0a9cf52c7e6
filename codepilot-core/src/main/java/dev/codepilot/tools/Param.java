package dev.codepilot.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a {@link Tool} method's parameter and, optionally, makes it optional with a default.
 * Without it the parameter's compiled name in snake case is used ({@code maxResults} → {@code
 * max_results}; compile with {@code -parameters}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Param {

  /** The parameter's Python name, used as written; empty means the compiled name in snake case. */
  String value() default "";

  /** True when the model may leave the parameter out. */
  boolean optional() default false;

  /**
   * The default for an optional parameter, as JSON ({@code "5"}, {@code "\"w\""}, {@code "null"});
   * empty means None (null).
   */
  String defaultValue() default "";
}
