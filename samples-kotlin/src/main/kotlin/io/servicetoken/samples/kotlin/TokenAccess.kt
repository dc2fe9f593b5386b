package io.servicetoken.samples.kotlin

import io.servicetoken.CredentialsRejectedException
import io.servicetoken.Token
import io.servicetoken.TokenEvent
import io.servicetoken.TokenException
import io.servicetoken.TokenProvider
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.rx3.asFlow
import kotlinx.coroutines.rx3.await

/**
 * A Kotlin app's side of a [TokenProvider]: suspend functions and flows through `kotlinx-coroutines-rx3`, with no
 * Kotlin module of ours. `await()` resumes on the caller's dispatcher (`Dispatchers.Main` in an Android
 * `viewModelScope`), so the question of which thread RxJava delivers on does not arise.
 */
class TokenAccess(private val provider: TokenProvider) {
    /** A token valid now: at once when one is cached, else after the fetch; throws the [TokenException] otherwise. */
    suspend fun token(): Token = provider.token().await()

    /** Every new token, the current one first. */
    fun tokens(): Flow<Token> = provider.tokens().asFlow()

    /** What the engine does (fetches, failed refreshes, invalidations), for logs and metrics. */
    fun events(): Flow<TokenEvent> = provider.events().asFlow()

    /** A line for the UI: the token's expiry, or why there is none (the README's snippet, as it is). */
    suspend fun status(): String =
        try {
            "token valid until ${provider.token().await().expiresAt()}"
        } catch (e: CredentialsRejectedException) {
            "credentials refused by ${e.vendor()} (${e.errorCode() ?: "no error code"})"   // errorCode(): String?
        } catch (e: TokenException) {
            "no token: ${e.javaClass.simpleName}, retryable: ${e.isRetryable}"
        }

    /** JSpecify at work: these declarations compile only because Kotlin reads the SDK's nullness. */
    @Suppress("unused")
    private fun nullness(token: Token, e: TokenException, event: TokenEvent) {
        val value: String = token.value()           // String, not String!: the SDK's packages are @NullMarked
        val code: String? = e.errorCode()           // @Nullable in Java, String? in Kotlin
        val expiresAt: java.time.Instant? = event.expiresAt()
        check(value.isNotEmpty() || code != null || expiresAt != null)
    }
}
