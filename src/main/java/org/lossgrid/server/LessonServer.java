package org.lossgrid.server;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;

import org.lossgrid.api.Data;
import org.lossgrid.api.Lesson;
import org.lossgrid.api.SurfaceRequest;
import org.lossgrid.api.Trained;
import org.lossgrid.api.Training;
import org.lossgrid.data.Series;
import org.lossgrid.error.LossgridException;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.i18n.Language;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;
import org.lossgrid.output.NpySink;
import org.lossgrid.report.Json;
import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Surface;
import org.lossgrid.surface.SurfaceMethod;
import org.lossgrid.train.TrainResult;

/**
 * {@code lossgrid serve}: the lesson in the browser, on the real engine. A Javalin (Jetty) server with
 * the page and its assets from the jar (ECharts from its WebJar) and a JSON API whose names follow
 * the CLI's flags and {@code --json} summaries. Computation runs at most {@link #WORKERS} requests at
 * a time; others wait up to {@value #QUEUE_SECONDS} s and then get 503.
 */
public final class LessonServer implements AutoCloseable {
    /** Requests that compute at the same time: one per core, at least two. */
    static final int WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());
    static final int QUEUE_SECONDS = 30;
    /** The limits a request may ask for. */
    public static final long MAX_SURFACE_POINTS = 1024L * 1024;
    public static final int MAX_STEPS = 100_000;
    public static final int MAX_POINTS_PER_AXIS = 1024;
    public static final int MAX_UPLOAD_BYTES = 2 << 20;
    public static final int MAX_TRAJECTORY_POINTS = 2000;
    public static final int MAX_CURVE_POINTS = 10_001;
    public static final int MAX_LAGS = 56;
    /** The keys of a POST /api/train body, named as the CLI's flags. */
    static final List<String> TRAIN_KEYS = List.of("loss", "delta", "lags", "data", "train_until", "lr", "steps", "tol",
            "init", "optimizer", "scale", "schedule", "no_intercept");
    /** Characters of an error message; the rest (a long echoed token) is cut. */
    static final int MAX_MESSAGE = 600;

    private final Javalin app;
    private final Residents residents;
    private final Semaphore workers = new Semaphore(WORKERS, true);
    private final String host;

    private LessonServer(Javalin app, Residents residents, String host) {
        this.app = app;
        this.residents = residents;
        this.host = host;
    }

    /** Starts the server on {@code host}:{@code port} (0: a free port) with engines on {@code backend}. */
    public static LessonServer start(String host, int port, String backend, Integer device, Consumer<String> log) {
        Residents residents = new Residents(backend, device, log);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_UPLOAD_BYTES + 65_536L;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
        });
        LessonServer server = new LessonServer(app, residents, host);
        server.routes();
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            residents.close();
            throw LossgridException.backendUnavailable("cannot serve on " + host + ":" + port + ": " + rootMessage(e));
        }
        return server;
    }

    public int port() {
        return app.port();
    }

    /** The page's address. */
    public URI url() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + shown + ":" + port() + "/");
    }

    @Override
    public void close() {
        app.stop();
        residents.close();
    }

    private void routes() {
        app.get("/api/surface", ctx -> compute(ctx, () -> surface(ctx)));
        app.post("/api/train", ctx -> compute(ctx, () -> train(ctx)));
        app.get("/api/curve", ctx -> compute(ctx, () -> curve(ctx)));
        app.get("/api/series", this::series);
        app.get("/api/predict", ctx -> compute(ctx, () -> predict(ctx)));
        app.post("/api/data", ctx -> compute(ctx, () -> upload(ctx)));
        app.get("/api/text", this::text);
        app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                e.getStatus() == 413 ? "limit" : "bad_input", e.getStatus() == 413 ? "the request body is over this "
                        + "server's limit of " + MAX_UPLOAD_BYTES + " bytes" : e.getMessage(),
                e.getStatus() == 413 ? (long) MAX_UPLOAD_BYTES : null));
        app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.kind, e.getMessage(), e.limit));
        app.exception(LossgridException.class, (e, ctx) -> error(ctx, status(e.kind()), kind(e.kind()),
                e.render(name -> name), null));
        app.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal",
                "internal error (a bug in lossgrid; please report it with the request): " + e.getClass().getSimpleName(),
                null));
        app.error(404, ctx -> {
            if (ctx.path().startsWith("/api/")) {
                error(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path(), null);
            }
        });
    }

    /** Runs a computing request on one of the workers, or answers 503 when none is free in time. */
    private void compute(Context ctx, Work work) throws Exception {
        if (!workers.tryAcquire(QUEUE_SECONDS, TimeUnit.SECONDS)) {
            throw new ApiError(503, "busy", "every worker has been busy for " + QUEUE_SECONDS + " s; try again", null);
        }
        try {
            work.run();
        } finally {
            workers.release();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private void surface(Context ctx) {
        Query q = new Query(ctx);
        String format = q.text("format", "json");
        if (!format.equals("json") && !format.equals("npy")) {
            throw LossgridException.badInput(LossgridException.param("format") + ": expected json or npy, got '" + format + "'");
        }
        ObjectNode summary = residents.with(q.data(), q.lags(), q.trainUntil(), lg -> {
            Loss loss = lg.loss(q.text("loss", "mae"), q.number("delta"));
            SurfaceRequest request = SurfaceRequest.parse(loss, SurfaceMethod.parse(q.text("method", "auto")),
                    lg.data().features(), q.text("axes", null), q.text("w", null), q.text("b", null), q.text("at", null))
                    .build();
            Double points = q.number("points");
            if (points != null && !(points == Math.rint(points) && points >= 2 && points <= MAX_POINTS_PER_AXIS)) {
                throw LossgridException.badInput(LossgridException.param("points") + ": expected a whole number from 2 to "
                        + MAX_POINTS_PER_AXIS + ", got " + q.text("points", ""));
            }
            if (points != null && (q.text("w", null) == null || q.text("b", null) == null)) {
                GridSpec chosen = lg.grid(request, lg.slice(request));
                int n = points.intValue();
                request = SurfaceRequest.parse(loss, request.method(), lg.data().features(), q.text("axes", null),
                        q.text("w", chosen.horizontal().min() + ":" + chosen.horizontal().max() + ":" + n),
                        q.text("b", chosen.vertical().min() + ":" + chosen.vertical().max() + ":" + n), q.text("at", null))
                        .build();
            }
            GridSpec grid = lg.grid(request, lg.slice(request));
            if (grid.points() > MAX_SURFACE_POINTS) {
                throw new ApiError(422, "limit", "the grid has " + grid.points() + " points; this server computes at most "
                        + MAX_SURFACE_POINTS + " (1024 x 1024) per request", MAX_SURFACE_POINTS);
            }
            Surface surface = lg.surface(request);
            if (format.equals("npy")) {
                ctx.contentType("application/octet-stream").result(NpySink.encode(surface.grid(), surface.values()));
                return null;
            }
            ObjectNode node = Json.backend(Json.object(), lg.backendName(), lg.device());
            node.put("loss", loss.name());
            loss.parameters().forEach(node::put);
            node.put("data", lg.data().train().name());
            Json.surface(node, surface.result());
            ExactOptimum.Fit optimum = lg.optimum(loss);
            ObjectNode exact = node.putObject("optimum");
            Json.params(exact, optimum.params());
            exact.put("loss", optimum.loss());
            if (Lesson.isBookExample(q.data() == null || q.data().equals(Residents.SAMPLE), q.lags(), q.trainUntil(),
                    request)) {
                node.putObject("book").put("w", Lesson.BOOK_W).put("b", Lesson.BOOK_B);
            } else {
                node.putNull("book");
            }
            ArrayNode values = node.putArray("values");
            for (float v : surface.values()) {
                values.add(Float.isFinite(v) ? v : null);
            }
            return node;
        });
        if (summary != null) {
            json(ctx, summary);
        }
    }

    private void train(Context ctx) {
        JsonNode body = body(ctx);
        java.util.Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!TRAIN_KEYS.contains(name)) {
                throw LossgridException.badInput("unknown key '" + name + "' in the request body; the keys are "
                        + String.join(", ", TRAIN_KEYS));
            }
        }
        Body b = new Body(body);
        int steps = b.integer("steps", 10_000);
        if (steps > MAX_STEPS) {
            throw new ApiError(422, "limit", "steps " + steps + " is over this server's limit of " + MAX_STEPS, (long) MAX_STEPS);
        }
        String trainUntil = b.text("train_until", null);
        ObjectNode summary = residents.with(b.text("data", null), lags(b.integer("lags", 1)), trainUntil == null
                ? residents.defaultTrainUntil(b.text("data", null)) : trainUntil(trainUntil), lg -> {
                    Training training = Training.parse(lg.data(), new Training.Flags(b.text("loss", "mae"), b.number("delta"),
                            b.number("lr", 0.1), steps, b.number("tol", 1e-7), b.init(), b.text("optimizer", "gd"),
                            b.text("scale", "standardize"), b.text("schedule", "auto"), b.bool("no_intercept"))).build();
                    Trained run = lg.train(training);
                    ObjectNode node = Json.training(lg, run);
                    if (run.config().loss().smooth()) {
                        node.put("stable_lr", lg.stableLearningRate(training));
                    } else {
                        node.putNull("stable_lr");
                    }
                    trajectory(node, run.result());
                    if (run.diverged()) {
                        node.put("diverged_at_step", run.result().steps());
                        node.put("loss_before_divergence", run.result().lossBeforeDivergence());
                        ObjectNode error = node.putObject("error");
                        error.put("kind", "diverged");
                        error.put("message", new LossgridException(LossgridException.Kind.DIVERGED, run.divergence())
                                .render(name -> name));
                    }
                    return node;
                });
        json(ctx, summary);
    }

    /** Every step of the path up to {@value #MAX_TRAJECTORY_POINTS}; beyond, evenly thinned, and it says so. */
    private static void trajectory(ObjectNode node, TrainResult result) {
        List<TrainResult.Point> path = result.trajectory();
        int points = Math.min(path.size(), MAX_TRAJECTORY_POINTS);
        node.put("trajectory_points", path.size());
        node.put("trajectory_thinned", points < path.size());
        ArrayNode list = node.putArray("trajectory");
        for (int i = 0; i < points; i++) {
            int at = points == path.size() ? i : (int) Math.round((double) i * (path.size() - 1) / (points - 1));
            TrainResult.Point point = path.get(at);
            ObjectNode p = list.addObject();
            p.put("step", point.step());
            Json.params(p.putObject("params"), point.params());
            p.put("loss", point.loss());
        }
    }

    private void curve(Context ctx) {
        Query q = new Query(ctx);
        ObjectNode summary = residents.with(q.data(), q.lags(), q.trainUntil(), lg -> {
            Loss loss = lg.loss(q.text("loss", "mae"), q.number("delta"));
            int index = ParamName.parse(q.text("param", "w1"), lg.data().features(), "param");
            Params held = Lesson.held(lg, loss, index, q.text("at", null));
            String range = q.text("range", null);
            Axis axis = range != null ? Axis.parse(range, "range") : Lesson.around(lg, loss, index);
            if (axis.n() > MAX_CURVE_POINTS) {
                throw new ApiError(422, "limit", "range has " + axis.n() + " points; at most " + MAX_CURVE_POINTS,
                        (long) MAX_CURVE_POINTS);
            }
            Double w0 = q.number("w0");
            Lesson.Curve curve = Lesson.curve(lg, loss, ParamName.of(index), axis, held,
                    w0 != null ? w0 : axis.value(axis.n() / 4));
            ObjectNode node = Json.curve(lg, loss, curve);
            ArrayNode u = node.putArray("u");
            ArrayNode values = node.putArray("values");
            for (int i = 0; i < curve.u().length; i++) {
                u.add(curve.u()[i]);
                values.add(curve.loss()[i]);
            }
            return node;
        });
        json(ctx, summary);
    }

    private void series(Context ctx) {
        Query q = new Query(ctx);
        Series series = residents.series(q.data());
        LocalDate until = q.trainUntil();
        ObjectNode node = Json.object();
        node.put("data", q.data() == null ? Residents.SAMPLE : q.data());
        node.put("name", series.name());
        node.put("first", series.first().toString());
        node.put("last", series.last().toString());
        node.put("days", series.days());
        node.put("train_until", until.toString());
        ArrayNode views = node.putArray("views");
        for (double v : series.views()) {
            views.add(v);
        }
        json(ctx, node);
    }

    private void predict(Context ctx) {
        Query q = new Query(ctx);
        Series series = residents.series(q.data());
        ObjectNode summary = residents.with(q.data(), q.lags(), q.trainUntil(), lg -> {
            Loss loss = lg.loss(q.text("loss", "mae"), q.number("delta"));
            String init = q.text("init", null);
            Params params = init == null ? lg.optimum(loss).params() : Params.parse(init, lg.data().features(), "init");
            Lesson.Predictions predictions = Lesson.predict(series, q.trainUntil(), loss, params);
            ObjectNode node = Json.predictions(series.name(), loss, init != null, params, predictions);
            ArrayNode truth = node.putArray("views");
            ArrayNode predicted = node.putArray("predicted");
            for (int i = 0; i < predictions.truth().length; i++) {
                truth.add(predictions.truth()[i]);
                predicted.add(predictions.predicted()[i]);
            }
            return node;
        });
        json(ctx, summary);
    }

    private void upload(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > MAX_UPLOAD_BYTES) {
            throw new ApiError(413, "limit", "the upload has " + bytes.length + " bytes; at most " + MAX_UPLOAD_BYTES,
                    (long) MAX_UPLOAD_BYTES);
        }
        String name = ctx.queryParam("name") != null ? ctx.queryParam("name") : "upload.csv";
        Series series = Data.seriesOf(name, new String(bytes, StandardCharsets.UTF_8));
        String id = residents.add(series);
        ObjectNode node = Json.object();
        node.put("data", id);
        node.put("name", series.name());
        node.put("first", series.first().toString());
        node.put("last", series.last().toString());
        node.put("days", series.days());
        ctx.status(201);
        json(ctx, node);
    }

    /** The messages bundle in one language, for the page's words: the same texts as the CLI's. */
    private void text(Context ctx) {
        Language language = Language.parse(ctx.queryParam("lang"), Map.of());
        ResourceBundle bundle = ResourceBundle.getBundle("org.lossgrid.i18n.messages", language.locale(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        ObjectNode node = Json.object();
        node.put("lang", language.name().toLowerCase(Locale.ROOT));
        ObjectNode texts = node.putObject("text");
        Map<String, String> sorted = new java.util.TreeMap<>();
        for (String key : bundle.keySet()) {
            sorted.put(key, bundle.getString(key));
        }
        sorted.forEach(texts::put);
        json(ctx, node);
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode body = Json.MAPPER.readTree(ctx.body());
            if (body == null || !body.isObject()) {
                throw LossgridException.badInput("the request body must be a JSON object, such as {\"loss\": \"mse\", "
                        + "\"lr\": 0.1}");
            }
            return body;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw LossgridException.badInput("the request body is not valid JSON" + (at == null ? "" : " at line "
                    + at.getLineNr() + ", column " + at.getColumnNr()) + " (numbers must be finite, objects not nested "
                    + "deeply); send an object such as {\"loss\": \"mse\", \"lr\": 0.1}");
        }
    }

    private static void json(Context ctx, ObjectNode node) {
        ctx.contentType("application/json; charset=utf-8").result(Json.compact(node));
    }

    private static void error(Context ctx, int status, String kind, String message, Long limit) {
        ObjectNode node = Json.object();
        ObjectNode error = node.putObject("error");
        error.put("kind", kind);
        error.put("message", message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...");
        if (limit != null) {
            error.put("limit", limit);
        }
        ctx.status(status);
        json(ctx, node);
    }

    /** HTTP statuses of the library's kinds of error. */
    static int status(LossgridException.Kind kind) {
        return switch (kind) {
            case BAD_INPUT -> 400;
            case DIVERGED -> 422;
            case RESOURCES -> 507;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    private static String kind(LossgridException.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    static int lags(int lags) {
        if (lags < 1 || lags > MAX_LAGS) {
            throw new ApiError(422, "limit", "lags must be between 1 and " + MAX_LAGS + ", got " + lags, (long) MAX_LAGS);
        }
        return lags;
    }

    static LocalDate trainUntil(String text) {
        if (text == null) {
            return Data.DEFAULT_TRAIN_UNTIL;
        }
        try {
            return LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw LossgridException.badInput(LossgridException.param("train_until") + ": not a date (YYYY-MM-DD): '" + text
                    + "'");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    /** A request the API refuses with its own status: a limit (with the limit), or a busy server. */
    static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String kind;
        final Long limit;

        ApiError(int status, String kind, String message, Long limit) {
            super(message);
            this.status = status;
            this.kind = kind;
            this.limit = limit;
        }
    }

    /** A request's query parameters, named as the CLI's flags. */
    private final class Query {
        private final Context ctx;

        Query(Context ctx) {
            this.ctx = ctx;
        }

        String text(String name, String fallback) {
            String value = ctx.queryParam(name);
            return value == null || value.isBlank() ? fallback : value;
        }

        Double number(String name) {
            String value = text(name, null);
            if (value == null) {
                return null;
            }
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw LossgridException.badInput(LossgridException.param(name) + ": not a number: '" + value + "'");
            }
        }

        String data() {
            return text("data", null);
        }

        int lags() {
            Double lags = number("lags");
            if (lags != null && lags != Math.rint(lags)) {
                throw LossgridException.badInput(LossgridException.param("lags") + ": not a whole number: " + lags);
            }
            return LessonServer.lags(lags == null ? 1 : lags.intValue());
        }

        LocalDate trainUntil() {
            String text = text("train_until", null);
            return text == null ? residents.defaultTrainUntil(data()) : LessonServer.trainUntil(text);
        }
    }

    /** A JSON request body, with the CLI's names and defaults. */
    private static final class Body {
        private final JsonNode node;

        Body(JsonNode node) {
            this.node = node;
        }

        String text(String name, String fallback) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isTextual()) {
                throw LossgridException.badInput(LossgridException.param(name) + ": expected a string, got " + value);
            }
            return value.asText();
        }

        Double number(String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isNumber()) {
                throw LossgridException.badInput(LossgridException.param(name) + ": expected a number, got " + value);
            }
            return value.asDouble();
        }

        double number(String name, double fallback) {
            Double value = number(name);
            return value == null ? fallback : value;
        }

        int integer(String name, int fallback) {
            Double value = number(name);
            if (value == null) {
                return fallback;
            }
            if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
                throw LossgridException.badInput(LossgridException.param(name) + ": expected a whole number, got " + value);
            }
            return value.intValue();
        }

        boolean bool(String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return false;
            }
            if (!value.isBoolean()) {
                throw LossgridException.badInput(LossgridException.param(name) + ": expected true or false, got " + value);
            }
            return value.asBoolean();
        }

        /** {@code init} as the CLI's "b=..,w1=.." from an object such as {"b": 0, "w1": 0}. */
        String init() {
            JsonNode init = node.get("init");
            if (init == null || init.isNull()) {
                return null;
            }
            if (!init.isObject()) {
                throw LossgridException.badInput(LossgridException.param("init") + ": expected an object such as "
                        + "{\"b\": 0, \"w1\": 0}, got " + init);
            }
            Map<String, String> pairs = new LinkedHashMap<>();
            init.fields().forEachRemaining(e -> {
                if (!e.getValue().isNumber()) {
                    throw LossgridException.badInput(LossgridException.param("init") + ": " + e.getKey()
                            + " must be a number, got " + e.getValue());
                }
                pairs.put(e.getKey(), e.getValue().asText());
            });
            return String.join(",", pairs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
    }
}
