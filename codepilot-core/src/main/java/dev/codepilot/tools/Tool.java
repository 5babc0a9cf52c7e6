package dev.codepilot.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method as a tool the model can call. The method's name in snake case is the tool's
 * name unless {@link #name()} says otherwise; its parameters become the Python parameters (compile
 * with {@code -parameters}, or name them with {@link Param}).
 *
 * <pre>{@code
 * class Search {
 *   @Tool("Search the web and return a summary.")
 *   public String webSearch(String query) { ... }
 * }
 * runtime.registerTools(new Search());
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tool {

  /** The description shown to the model. */
  String value();

  /** The tool's name; empty means the method name in snake case. */
  String name() default "";
}
