/**
 * Test doubles for apps that use servicetoken: one fake token server per vendor, each a {@link
 * io.servicetoken.testing.FakeTokenServer} on a loopback MockWebServer that is also a JUnit 5 extension, and
 * {@link io.servicetoken.testing.SecretScanner} to prove no secret leaks.
 */
@NullMarked
package io.servicetoken.testing;

import org.jspecify.annotations.NullMarked;
