package com.example.app

import io.servicetoken.CredentialsRejectedException
import io.servicetoken.TokenProvider
import io.servicetoken.sportradar.SportradarTokenSource
import io.servicetoken.testing.FakeSportradar
import io.servicetoken.testing.FakeVyopta
import io.servicetoken.vyopta.VyoptaTokenSource
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.rx3.asFlow
import kotlinx.coroutines.rx3.await
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.extension.RegisterExtension
import java.time.Duration
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs

class MatchCenterTest {
    @JvmField
    @RegisterExtension
    val vyopta: FakeVyopta = FakeVyopta.accepting("alice", "wonderland").tokenLifetime(Duration.ofMinutes(10))

    @JvmField
    @RegisterExtension
    val sportradar: FakeSportradar = FakeSportradar.accepting("sso-token").products("videostream_manager")

    private fun vyoptaProvider(password: String = "wonderland") = TokenProvider.create(
        VyoptaTokenSource.builder()
            .baseUrl(vyopta.baseUrl().toString()).username("alice").password(password).build(),
    )

    private fun sportradarProvider() = TokenProvider.create(
        SportradarTokenSource.builder()
            .baseUrl(sportradar.baseUrl().toString())
            .userIdentityToken("sso-token").product("videostream_manager").customerId(345)
            .build(),
    )

    @Test
    fun bothVendorsTokensBecomeHeaders(): Unit = runBlocking {
        vyoptaProvider().use { vyoptaTokens ->
            sportradarProvider().use { sportradarTokens ->
                val headers = withTimeout(10_000) { MatchCenter(vyoptaTokens, sportradarTokens).headers() }

                assertEquals(
                    "Bearer ${vyopta.lastIssuedToken()}" to "Bearer ${sportradar.lastIssuedToken()}",
                    headers.getOrThrow(),
                )
            }
        }
    }

    @Test
    fun aWrongPasswordIsATypedFailure(): Unit = runBlocking {
        vyoptaProvider(password = "nope").use { vyoptaTokens ->
            sportradarProvider().use { sportradarTokens ->
                val headers = withTimeout(10_000) { MatchCenter(vyoptaTokens, sportradarTokens).headers() }

                val error = assertIs<CredentialsRejectedException>(headers.exceptionOrNull())
                assertEquals("invalid_grant", error.errorCode())
            }
        }
    }

    @Test
    fun tokensFlowStartsWithTheCurrentToken(): Unit = runBlocking {
        vyoptaProvider().use { provider ->
            val token = withTimeout(10_000) { provider.token().await() }

            assertEquals(token, withTimeout(10_000) { provider.tokens().asFlow().first() })
            assertEquals(1, vyopta.requestCount())
        }
    }
}
