package com.example.app

import io.servicetoken.TokenException
import io.servicetoken.TokenProvider
import kotlinx.coroutines.rx3.await

/** The app: it needs a Vyopta token for one API and a Sportradar product token for another. */
class MatchCenter(private val vyopta: TokenProvider, private val sportradar: TokenProvider) {
    /** Both Authorization header values, or the reason there is none. */
    suspend fun headers(): Result<Pair<String, String>> =
        try {
            Result.success(vyopta.token().await().authorization() to sportradar.token().await().authorization())
        } catch (e: TokenException) {
            Result.failure(e)
        }
}
