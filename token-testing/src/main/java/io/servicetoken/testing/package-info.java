/**
 * Test doubles for apps that use servicetoken: one fake token server per vendor ({@link
 * io.servicetoken.testing.FakeViveport}, {@link io.servicetoken.testing.FakeAppViewX}, {@link
 * io.servicetoken.testing.FakeVyopta}, {@link io.servicetoken.testing.FakeSingleView}, {@link
 * io.servicetoken.testing.FakeSportradar}), each a {@link io.servicetoken.testing.FakeTokenServer} on a loopback
 * MockWebServer that is also a JUnit 5 extension, and {@link io.servicetoken.testing.SecretScanner} to prove no
 * secret leaks.
 *
 * <p>Testing an app's own code: point the vendor's token source at the fake, drive the provider with a {@code
 * TestScheduler}, and assert what the app sent and how often the vendor was asked.
 *
 * <pre>{@code
 * class WeatherClientTest {
 *   @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", "wonderland");
 *   final MockWebServer api = new MockWebServer();   // the app's own API
 *   final TestScheduler scheduler = new TestScheduler(System.currentTimeMillis(), TimeUnit.MILLISECONDS);
 *
 *   @Test void usesAFreshTokenAfterTheRefreshWindow() throws Exception {
 *     TokenProvider provider = TokenProvider.builder(VyoptaTokenSource.builder()
 *             .baseUrl(vyopta.baseUrl().toString()).username("alice").password("wonderland").build())
 *         .scheduler(scheduler).autoRefresh(true).build();
 *     WeatherClient weather = new WeatherClient(api.url("/"), provider); // adds AuthorizationInterceptor.of(provider)
 *     provider.token().test();
 *     scheduler.triggerActions();                     // the first fetch runs here, on the test's thread
 *
 *     api.enqueue(new MockResponse().setBody("{}"));
 *     weather.currentWeather("Oslo");
 *     assertEquals("Bearer " + vyopta.lastIssuedToken(), api.takeRequest().getHeader("Authorization"));
 *
 *     scheduler.advanceTimeBy(265, TimeUnit.SECONDS); // into the last 75 s of a 300 s token: refreshed
 *     api.enqueue(new MockResponse().setBody("{}"));
 *     weather.currentWeather("Oslo");
 *     assertEquals("Bearer " + vyopta.lastIssuedToken(), api.takeRequest().getHeader("Authorization"));
 *     assertEquals(2, vyopta.requestCount());
 *   }
 * }
 * }</pre>
 *
 * <p>With a {@code TestScheduler} every fetch waits for {@code triggerActions()} or {@code advanceTimeBy(..)}: fetch
 * the first token before the app's code asks for it, or that code (an interceptor, say) waits for a fetch that
 * only the test's own thread can run. The fakes' fault switches ({@code failNext}, {@code slowNext}, {@code
 * malformedNext}) and {@code requestCount()} test how the app copes with a vendor outage.
 *
 * <p>Testing the app's 401 path (the API refuses a token that the vendor revoked early, and {@code
 * AuthorizationInterceptor} fetches a new one and replays the call once): run that provider on real threads, not on
 * a {@code TestScheduler}, because the app's own call blocks until the new token arrives and so cannot advance
 * virtual time. The fake answers in milliseconds.
 *
 * <pre>{@code
 * @Test void aRevokedTokenIsReplacedAndTheCallReplayedOnce() throws IOException {
 *   try (TokenProvider provider = TokenProvider.create(VyoptaTokenSource.builder()
 *       .baseUrl(vyopta.baseUrl().toString()).username("alice").password("wonderland").build())) {
 *     WeatherClient weather = new WeatherClient(api.url("/"), provider);
 *     api.enqueue(new MockResponse().setResponseCode(401));   // the first token was revoked
 *     api.enqueue(new MockResponse().setBody("{}"));
 *
 *     assertEquals("{}", weather.currentWeather("Oslo"));      // one call, replayed once inside
 *   }
 *   String refused = api.takeRequest().getHeader("Authorization");
 *   String replayed = api.takeRequest().getHeader("Authorization");
 *   assertNotEquals(refused, replayed);
 *   assertEquals("Bearer " + vyopta.lastIssuedToken(), replayed);
 *   assertEquals(2, vyopta.tokensIssued());
 * }
 * }</pre>
 *
 * <p>The samples module's {@code WeatherClientTest} has both examples in full.
 *
 * <p>JUnit: the fakes need JUnit Jupiter 5 on the test classpath ({@code junit-jupiter-api} is a {@code provided}
 * dependency here, so the app's own JUnit version is the one used) and a runner that runs JUnit 5 tests, such as
 * {@code maven-surefire-plugin} 3.x.
 */
@NullMarked
package io.servicetoken.testing;

import org.jspecify.annotations.NullMarked;
