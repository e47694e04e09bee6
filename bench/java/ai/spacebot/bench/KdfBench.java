package ai.spacebot.bench;

import ai.spacebot.secrets.KdfParams;
import ai.spacebot.secrets.MasterKey;
import java.util.Arrays;
import java.util.Locale;

/**
 * How long the secret store's key derivation takes: Argon2id with the store's settings (64 MiB, 3 iterations,
 * parallelism 1, a fresh 16-byte salt per run), as paid once per unlock, encrypt or rotate.
 * Usage: {@code bench/secrets-kdf.sh [runs=10]}.
 */
public final class KdfBench {
  private KdfBench() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    char[] passphrase = "a benchmark passphrase".toCharArray();
    for (int i = 0; i < 2; i++) {
      MasterKey.fromPassphrase(passphrase, KdfParams.fresh()); // warm-up: JIT
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      KdfParams params = KdfParams.fresh();
      long start = System.nanoTime();
      MasterKey.fromPassphrase(passphrase, params);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "Argon2id m=%d KiB t=%d p=%d, %d runs: p50 %.0f ms, min %.0f ms, max %.0f ms%n",
        KdfParams.MEMORY_KIB, KdfParams.ITERATIONS, KdfParams.PARALLELISM, runs, ms[runs / 2], ms[0], ms[runs - 1]);
  }
}
