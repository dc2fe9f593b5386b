package io.servicetoken.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.servicetoken.RetryPolicy;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * One pod of a fleet in a JVM of its own, for {@link MultiJvmFleetTest}: a {@link RedisTokenStore} (one connection,
 * as an app has) and a provider per store key, driven by lines on stdin and answering on stdout.
 *
 * <pre>
 * java -cp &lt;test classpath&gt; io.servicetoken.redis.FleetPodMain &lt;redisUri&gt; &lt;base64 encryption key&gt;
 *   stdout: ready                                     once its store has connected
 *   stdin:  token &lt;storeKey&gt; &lt;vendorBaseUrl&gt; &lt;attemptTimeoutMillis&gt;
 *   stdout: token &lt;storeKey&gt; &lt;sha-256 of the token, 16 hex digits&gt;
 *       or  error &lt;storeKey&gt; &lt;exception class&gt;
 * </pre>
 *
 * <p>It exits when stdin closes, so a pod never outlives the test that started it.
 */
public final class FleetPodMain {
  private FleetPodMain() {}

  /**
   * Runs the pod.
   *
   * @param args the Redis URI and the encryption key in base64
   * @throws Exception if stdin fails
   */
  public static void main(String[] args) throws Exception {
    RedisTokenStore store = RedisTokenStore.builder(args[0]).encryptionKey(Base64.getDecoder().decode(args[1])).build();
    Poll.awaitConnected(store);
    Map<String, TokenProvider> providers = new HashMap<>();
    say("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] command = line.trim().split(" ");
      if (command[0].equals("token")) {
        String key = command[1];
        TokenProvider provider = providers.computeIfAbsent(key, k -> TokenProvider.builder(
                VyoptaTokenSource.builder().baseUrl(command[2]).username(FleetVendor.USER)
                    .password(FleetVendor.PASSWORD).build())
            .retryPolicy(RetryPolicy.builder().attemptTimeout(Duration.ofMillis(Long.parseLong(command[3]))).build())
            .store(store, k)
            .build());
        provider.token().subscribe(
            token -> say("token " + key + " " + fingerprint(token)),
            error -> say("error " + key + " " + error.getClass().getSimpleName()));
      }
    }
    System.exit(0); // stdin closed: the test is over
  }

  /** A short hash of the token, so that pods can be compared without printing tokens. */
  static String fingerprint(Token token) throws Exception {
    return fingerprint(token.value());
  }

  static String fingerprint(String value) throws Exception {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(UTF_8));
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 8; i++) hex.append(String.format("%02x", hash[i]));
    return hex.toString();
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
