package io.fleetpulse.collector.ci.github;

/**
 * Where the poller's token comes from: {@code github.tokenFile} ({@link #tokenFile}) or a GitHub
 * App installation ({@link AppTokens}). Used by the polling thread only, under the poll lock.
 */
interface Credentials {

  /**
   * The token for this poll. Blocks on the file system or, for an App, on one token exchange.
   *
   * @throws Token.Unreadable when no token can be had; the message names the file or request
   */
  Token token() throws Token.Unreadable, InterruptedException;

  /**
   * Called once per poll after the API answered 401 to {@code rejected}.
   *
   * @return a different token to retry the poll with, or null when these credentials have no
   *     other (a token file is read again only at the next poll)
   */
  Token renew(Token rejected) throws Token.Unreadable, InterruptedException;

  /** The first line of {@code file}, read again at every poll so rotation needs no restart. */
  static Credentials tokenFile(String file) {
    return new Credentials() {
      @Override
      public Token token() throws Token.Unreadable {
        return Token.read(file);
      }

      @Override
      public Token renew(Token rejected) {
        return null;
      }
    };
  }
}
