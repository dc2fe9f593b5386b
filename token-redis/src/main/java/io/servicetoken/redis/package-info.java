/**
 * Fleet mode on Redis: {@link io.servicetoken.redis.RedisTokenStore}, a {@link io.servicetoken.TokenStore} through
 * which every process of a service shares one vendor token (one vendor request per token lifetime for the whole
 * fleet, one cool-down after a rejected password), encrypted at rest with AES-256-GCM.
 *
 * <pre>{@code
 * RedisTokenStore store = RedisTokenStore.builder("redis://redis.internal:6379/0")
 *     .encryptionKey(key32)
 *     .build();
 * TokenProvider provider = TokenProvider.builder(source).store(store).build();
 * }</pre>
 */
@NullMarked
package io.servicetoken.redis;

import org.jspecify.annotations.NullMarked;
