/** VIVEPORT service tokens: the Retrofit interface of the token endpoint, its Moshi models and a token source. */
@NullMarked
package io.servicetoken.viveport;

import org.jspecify.annotations.NullMarked;
