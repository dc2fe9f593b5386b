/**
 * The runnable demo ({@link io.servicetoken.samples.Demo}) and a tiny app, {@link
 * io.servicetoken.samples.WeatherClient}, whose test shows how to test code that depends on a {@code TokenProvider}.
 * Not published.
 */
package io.servicetoken.samples;
