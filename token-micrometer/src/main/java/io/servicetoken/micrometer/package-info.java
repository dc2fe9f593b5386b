/**
 * Micrometer meters for a {@link io.servicetoken.TokenProvider}: {@link
 * io.servicetoken.micrometer.TokenProviderMetrics}, a {@code MeterBinder} fed by the provider's events.
 */
@NullMarked
package io.servicetoken.micrometer;

import org.jspecify.annotations.NullMarked;
