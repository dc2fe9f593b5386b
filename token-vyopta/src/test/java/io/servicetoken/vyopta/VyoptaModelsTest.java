package io.servicetoken.vyopta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.squareup.moshi.Moshi;
import io.servicetoken.testing.SecretScanner;
import org.junit.jupiter.api.Test;

class VyoptaModelsTest {
  private final Moshi moshi = new Moshi.Builder().build();

  @Test
  void docSampleParsesIntoEveryField() throws Exception {
    VyoptaTokenResponse response = moshi.adapter(VyoptaTokenResponse.class).fromJson(VyoptaTokenSourceTest.docSample());

    assertNotNull(response);
    assertEquals("eyJhb ... -Pdl31W5g", response.accessToken());
    assertEquals(300L, response.expiresIn());
    assertEquals(1800L, response.refreshExpiresIn());
    assertEquals("ey J...-H5oAwI8", response.refreshToken());
    assertEquals("bearer", response.tokenType());
    assertEquals(1533920635L, response.notBeforePolicy());
    assertEquals("dad914da-2d68-4202-a98a-146da4033e1e", response.sessionState());
    assertEquals("emailprofile", response.scope());
    assertNull(response.idToken());
  }

  @Test
  void notBeforePolicyIsAlsoReadUnderTheSchemasSpelling() throws Exception {
    VyoptaTokenResponse response =
        moshi.adapter(VyoptaTokenResponse.class).fromJson("{\"not_before_policy\":42,\"extra\":[1]}");

    assertNotNull(response);
    assertEquals(42L, response.notBeforePolicy());
  }

  @Test
  void tokenResponseToStringShowsNoToken() throws Exception {
    VyoptaTokenResponse response = moshi.adapter(VyoptaTokenResponse.class)
        .fromJson("{\"access_token\":\"eyJhbACCESS\",\"refresh_token\":\"eyJhbREFRESH\",\"id_token\":\"eyJhbID\","
            + "\"session_state\":\"ss-8d2Kq1x9\",\"expires_in\":300}");

    SecretScanner.assertNoSecret(response, "eyJhbACCESS", "eyJhbREFRESH", "eyJhbID", "ss-8d2Kq1x9");
  }

  @Test
  void errorResponseParsesCodeAndDescription() throws Exception {
    VyoptaErrorResponse error = moshi.adapter(VyoptaErrorResponse.class)
        .fromJson("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}");

    assertNotNull(error);
    assertEquals("invalid_grant", error.error());
    assertEquals("Invalid user credentials", error.errorDescription());
  }
}
