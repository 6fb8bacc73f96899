package org.lossgrid.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossgrid.api.Data;
import org.lossgrid.data.Split;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.report.Json;

/** The JSON API on a real server: every endpoint, every error status and the limits. */
class ServerApiTest {
    private static LessonServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        server = LessonServer.start("127.0.0.1", 0, "cpu", null, message -> { });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(server.url().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void theSurfaceIsTheCliSummaryWithItsValuesAndTheNpyIsTheCliFile() throws Exception {
        HttpResponse<byte[]> response = get("/api/surface?loss=mse&w=0.5:1.5:33&b=-1000:1500:17&format=json");
        assertEquals(200, response.statusCode());
        JsonNode surface = json(response);
        assertEquals("exact-fast", surface.get("method").asText());
        assertEquals(33 * 17, surface.get("values").size());
        assertEquals(0.97, surface.get("book").get("w").asDouble());
        ExactOptimum.Fit exact = ExactOptimum.fit(Loss.MSE, Data.sample(1).train(), true);
        assertEquals(exact.params().w(0), surface.get("optimum").get("w").get(0).asDouble(), 1e-9);
        Path npy = folder.resolve("cli.npy");
        int code = org.lossgrid.cli.Main.run(new String[] {"surface", "--loss", "mse", "--w", "0.5:1.5:33", "--b",
            "-1000:1500:17", "--npy", npy.toString(), "--backend", "cpu"}, new java.io.PrintStream(java.io.OutputStream
                .nullOutputStream()), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        assertEquals(0, code);
        HttpResponse<byte[]> binary = get("/api/surface?loss=mse&w=0.5:1.5:33&b=-1000:1500:17&format=npy");
        assertEquals(200, binary.statusCode());
        assertArrayEquals(Files.readAllBytes(npy), binary.body(), "the API's NPY is the CLI's, byte for byte");
    }

    @Test
    void trainingReturnsTheCliKeysAndTheTrajectoryThinnedToItsCap() throws Exception {
        JsonNode run = json(post("/api/train", "{\"loss\": \"mse\", \"lags\": 1, \"lr\": 0.1, \"steps\": 10000,"
                + " \"init\": {\"b\": 0, \"w1\": 0}, \"optimizer\": \"gd\", \"scale\": \"standardize\", \"tol\": 0}"));
        for (String key : new String[] {"params", "train_loss", "test_loss", "steps", "converged", "diverged", "optimum"}) {
            assertTrue(run.has(key), key);
        }
        Split split = Data.sample(1);
        ExactOptimum.Fit exact = ExactOptimum.fit(Loss.MSE, split.train(), true);
        assertEquals(exact.params().w(0), run.get("params").get("w").get(0).asDouble(), 1e-6);
        assertEquals(LessonServer.MAX_TRAJECTORY_POINTS, run.get("trajectory").size());
        assertTrue(run.get("trajectory_thinned").asBoolean());
        assertEquals(10_001, run.get("trajectory_points").asInt());
        assertEquals(10_000, run.get("trajectory").get(LessonServer.MAX_TRAJECTORY_POINTS - 1).get("step").asInt());
        assertTrue(run.get("stable_lr").asDouble() > 0);
    }

    @Test
    void aDivergingRunSaysWhereWithTheCliMessage() throws Exception {
        HttpResponse<byte[]> response = post("/api/train", "{\"loss\": \"mse\", \"lr\": 5, \"steps\": 500}");
        assertEquals(200, response.statusCode());
        JsonNode run = json(response);
        assertTrue(run.get("diverged").asBoolean());
        assertTrue(run.get("diverged_at_step").asInt() > 0);
        assertTrue(run.get("error").get("message").asText().contains("diverged at step"), run.toString());
    }

    @Test
    void curveSeriesAndPredictMatchTheCli() throws Exception {
        JsonNode curve = json(get("/api/curve?param=w1&range=0:2:21&at=b=100&w0=0.3"));
        assertEquals(21, curve.get("values").size());
        assertEquals(100, curve.get("held").get("b").asDouble());
        JsonNode series = json(get("/api/series"));
        assertEquals(series.get("days").asInt(), series.get("views").size());
        JsonNode predict = json(get("/api/predict?init=b=100,w1=0.97"));
        double[] views = Data.sampleSeries().views();
        int firstTest = views.length - predict.get("test_days").asInt();
        assertEquals(100 + 0.97 * views[firstTest - 1], predict.get("predicted").get(0).asDouble(), 1e-9);
    }

    @Test
    void anUploadIsParsedByTheSameReaderAndServesEveryEndpoint() throws Exception {
        StringBuilder csv = new StringBuilder("date,views\n");
        java.time.LocalDate day = java.time.LocalDate.of(2020, 1, 1);
        for (int d = 0; d < 500; d++) {
            csv.append(day.plusDays(d)).append(',').append(1000 + 3 * d + (d * 37 % 11)).append('\n');
        }
        HttpResponse<byte[]> created = post("/api/data?name=mine.csv", csv.toString());
        assertEquals(201, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
        String id = json(created).get("data").asText();
        HttpResponse<byte[]> surface = get("/api/surface?data=" + id + "&train_until=2020-12-31&points=9");
        assertEquals(200, surface.statusCode(), new String(surface.body(), StandardCharsets.UTF_8));
        assertEquals(81, json(surface).get("values").size());
        HttpResponse<byte[]> bad = post("/api/data?name=bad.csv", "date,views\n2020-01-01,12\n2020-01-02,lots\n");
        assertEquals(400, bad.statusCode());
        assertTrue(json(bad).get("error").get("message").asText().contains("bad.csv"), json(bad).toString());
        HttpResponse<byte[]> huge = post("/api/data", "x".repeat(LessonServer.MAX_UPLOAD_BYTES + 1));
        assertEquals(413, huge.statusCode());
        assertEquals(LessonServer.MAX_UPLOAD_BYTES, json(huge).get("error").get("limit").asInt());
        assertEquals(400, get("/api/surface?data=upload-999").statusCode());
    }

    @Test
    void anUploadThatDoesNotStraddleTheBooksSplitIsSplitAtItsLastFifth() throws Exception {
        StringBuilder csv = new StringBuilder("date,views\n");
        java.time.LocalDate day = java.time.LocalDate.of(2023, 1, 1);
        for (int d = 0; d < 500; d++) {
            csv.append(day.plusDays(d)).append(',').append(2000 + d + (d * 13 % 7)).append('\n');
        }
        String id = json(post("/api/data?name=recent.csv", csv.toString())).get("data").asText();
        JsonNode series = json(get("/api/series?data=" + id));
        assertEquals(day.plusDays(399).toString(), series.get("train_until").asText());
        assertEquals(200, get("/api/surface?data=" + id + "&points=5").statusCode());
        JsonNode predict = json(get("/api/predict?data=" + id));
        assertEquals(100, predict.get("test_days").asInt());
        JsonNode run = json(post("/api/train", "{\"data\": \"" + id + "\", \"loss\": \"mse\", \"steps\": 100}"));
        assertTrue(run.get("test_loss").isNumber(), run.toString());
    }

    @Test
    void bodiesOverTheLimitAndUnknownKeysAreJsonErrors() throws Exception {
        HttpResponse<byte[]> huge = post("/api/data?name=big.csv", "1".repeat(3 << 20));
        assertEquals(413, huge.statusCode());
        assertEquals("limit", json(huge).get("error").get("kind").asText());
        HttpResponse<byte[]> typo = post("/api/train", "{\"step\": 5}");
        assertEquals(400, typo.statusCode());
        assertTrue(json(typo).get("error").get("message").asText().contains("unknown key 'step'"));
        assertEquals(400, post("/api/train", "{\"no_intercept\": \"yes\"}").statusCode());
        assertEquals(400, get("/api/surface?points=0").statusCode());
        assertEquals(400, get("/api/surface?points=2.5").statusCode());
    }

    @Test
    void limitsAnswer422WithTheLimit() throws Exception {
        HttpResponse<byte[]> grid = get("/api/surface?w=0:1:2000&b=0:1:2000");
        assertEquals(422, grid.statusCode());
        assertEquals(LessonServer.MAX_SURFACE_POINTS, json(grid).get("error").get("limit").asLong());
        HttpResponse<byte[]> steps = post("/api/train", "{\"steps\": 1000000}");
        assertEquals(422, steps.statusCode());
        assertEquals(LessonServer.MAX_STEPS, json(steps).get("error").get("limit").asInt());
        HttpResponse<byte[]> lags = get("/api/curve?lags=100");
        assertEquals(422, lags.statusCode());
        assertEquals(LessonServer.MAX_LAGS, json(lags).get("error").get("limit").asInt());
    }

    @Test
    void badRequestsAre400WithKindAndMessageAndNeverAStackTrace() throws Exception {
        for (HttpResponse<byte[]> response : java.util.List.of(get("/api/surface?loss=hinge"), get("/api/surface?w=1:0"),
                post("/api/train", "not json"), post("/api/train", "{\"lr\": \"fast\"}"), get("/api/surface?format=png"),
                get("/api/curve?param=w9"))) {
            assertEquals(400, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
            JsonNode error = json(response).get("error");
            assertEquals("bad_input", error.get("kind").asText());
            assertFalse(error.get("message").asText().contains("Exception"), error.toString());
        }
        HttpResponse<byte[]> missing = get("/api/nothing");
        assertEquals(404, missing.statusCode());
        assertEquals("not_found", json(missing).get("error").get("kind").asText());
    }

    @Test
    void thePageAndItsAssetsComeFromTheJar() throws Exception {
        HttpResponse<byte[]> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("/webjars/echarts/"));
        assertEquals(200, get("/webjars/echarts/5.3.1/dist/echarts.min.js").statusCode());
        assertEquals(200, get("/app.js").statusCode());
        JsonNode text = json(get("/api/text?lang=zh"));
        assertTrue(text.get("text").get("surface.title").asText().contains("误差表面"));
    }
}
