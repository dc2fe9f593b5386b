/**
 * Plumbing shared by servicetoken's own modules. Not API: anything here may change in any release.
 */
@NullMarked
package io.servicetoken.internal;

import org.jspecify.annotations.NullMarked;
