package io.servicetoken.samples.kotlin

import io.servicetoken.Token
import io.servicetoken.TokenEvent
import io.servicetoken.TokenProvider
import io.servicetoken.testing.FakeVyopta
import io.servicetoken.vyopta.VyoptaTokenSource
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.rx3.await
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.extension.RegisterExtension
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotEquals

/** The README's Kotlin recipe against a fake Vyopta, with kotlin-test on JUnit 5. Every wait is bounded. */
class TokenAccessTest {
    @JvmField
    @RegisterExtension
    val vyopta: FakeVyopta = FakeVyopta.accepting("alice", "wonderland")

    private companion object {
        const val WAIT = 10_000L
    }

    private fun provider(password: String = "wonderland"): TokenProvider =
        TokenProvider.create(
            VyoptaTokenSource.builder()
                .baseUrl(vyopta.baseUrl().toString())
                .username("alice")
                .password(password)
                .build(),
        )

    @Test
    fun theReadmesBridgesGiveTheTokenAndAFlowStartingWithIt(): Unit = runBlocking {
        provider().use { provider ->
            val (token, tokens, _) = withTimeout(WAIT) { bridges(provider) }

            assertEquals(vyopta.lastIssuedToken(), token.value())
            assertEquals(token, withTimeout(WAIT) { tokens.first() })
        }
    }

    @Test
    fun aSecondAwaitGetsTheCachedTokenWithoutARequest(): Unit = runBlocking {
        provider().use { provider ->
            val access = TokenAccess(provider)
            val first = withTimeout(WAIT) { access.token() }
            val second = withTimeout(WAIT) { access.token() }

            assertEquals(first, second)
            assertEquals(1, vyopta.requestCount())
        }
    }

    @Test
    fun tokensFlowDeliversTheCurrentTokenThenTheNextOne(): Unit = runBlocking {
        provider().use { provider ->
            val access = TokenAccess(provider)
            val first = withTimeout(WAIT) { access.token() }
            val received = Channel<Token>(Channel.UNLIMITED)
            val collector = launch { access.tokens().collect { received.send(it) } }
            // The current token first: a token invalidated before the flow subscribes is never replayed.
            assertEquals(first, withTimeout(WAIT) { received.receive() })

            provider.invalidate(first)                  // as after a 401
            val second = withTimeout(WAIT) { access.token() }

            assertEquals(second, withTimeout(WAIT) { received.receive() })
            assertNotEquals(first.value(), second.value())
            collector.cancel()
        }
    }

    @Test
    fun eventsFlowReportsTheFetch(): Unit = runBlocking {
        provider().use { provider ->
            val access = TokenAccess(provider)
            val fetched = async(start = CoroutineStart.UNDISPATCHED) {
                withTimeout(WAIT) { access.events().first { it.type() == TokenEvent.Type.FETCHED } }
            }

            val token = withTimeout(WAIT) { access.token() }

            assertEquals(token.expiresAt(), fetched.await().expiresAt())
        }
    }

    @Test
    fun aWrongPasswordIsATypedErrorWithANullableCode(): Unit = runBlocking {
        provider(password = "not-the-password").use { provider ->
            val status = withTimeout(WAIT) { TokenAccess(provider).status() }

            assertEquals("credentials refused by vyopta (invalid_grant)", status)
            assertEquals(1, vyopta.requestCount())
        }
    }

    // The README's Kotlin test, as it is (last, as there, before the class's closing brace).
    @Test
    fun awaitSuspendsUntilTheFetchedTokenArrives(): Unit = runBlocking {
        TokenProvider.create(
            VyoptaTokenSource.builder()
                .baseUrl(vyopta.baseUrl().toString()).username("alice").password("wonderland").build(),
        ).use { provider ->
            val token = withTimeout(10_000) { provider.token().await() }
            assertEquals(vyopta.lastIssuedToken(), token.value())
        }
    }
}
