package io.fleetpulse.agent.source.sim;

import java.util.SplittableRandom;

/** Seeded randomness for one simulated source: same seed, node and salt, same sequence. */
final class SimRandom {
  private final SplittableRandom random;

  SimRandom(long seed, int nodeIndex, String salt) {
    this.random = new SplittableRandom(seed * 1_000_003L + nodeIndex * 7919L + salt.hashCode());
  }

  double uniform() {
    return random.nextDouble();
  }

  double uniform(double from, double to) {
    return from + (to - from) * random.nextDouble();
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  int index(int bound) {
    return random.nextInt(bound);
  }

  /** Standard normal (Box-Muller). */
  double gaussian() {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  String hex(int chars) {
    StringBuilder out = new StringBuilder(chars);
    while (out.length() < chars) {
      out.append(Long.toHexString(random.nextLong() | Long.MIN_VALUE));
    }
    return out.substring(0, chars);
  }
}
