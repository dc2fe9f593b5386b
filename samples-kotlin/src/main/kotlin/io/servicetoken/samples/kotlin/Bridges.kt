package io.servicetoken.samples.kotlin

import io.servicetoken.Token
import io.servicetoken.TokenEvent
import io.servicetoken.TokenProvider
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.rx3.asFlow
import kotlinx.coroutines.rx3.await

/** The README's three lines from RxJava to coroutines, as they are. */
suspend fun bridges(provider: TokenProvider): Triple<Token, Flow<Token>, Flow<TokenEvent>> {
    val token: Token = provider.token().await()                  // suspends; throws the TokenException
    val tokens: Flow<Token> = provider.tokens().asFlow()         // the current token, then every new one
    val events: Flow<TokenEvent> = provider.events().asFlow()    // what the engine does
    return Triple(token, tokens, events)
}
