package dev.codepilot.model;

/**
 * Receives a reply's text while a provider streams it. Called on the thread that called {@link
 * ChatModel#complete}; the pieces, joined, equal {@link ModelReply#text()}.
 */
@FunctionalInterface
public interface StreamListener {

  /** A listener that ignores everything. */
  StreamListener NONE = text -> {};

  /** A piece of reply text, in order. Never null or empty. */
  void onText(String text);
}
