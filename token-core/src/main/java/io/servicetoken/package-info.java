/**
 * Short-lived service tokens behind one reactive contract.
 *
 * <p>A {@link io.servicetoken.TokenSource} performs one request to a vendor's token endpoint; a {@link
 * io.servicetoken.TokenProvider} caches its tokens and keeps them fresh; an {@link
 * io.servicetoken.AuthorizationInterceptor} attaches them to an app's own OkHttp requests. Failures arrive as
 * subclasses of {@link io.servicetoken.TokenException}.
 */
@NullMarked
package io.servicetoken;

import org.jspecify.annotations.NullMarked;
