package org.lossgrid.server;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.lossgrid.api.Data;
import org.lossgrid.api.Lossgrid;
import org.lossgrid.data.Series;
import org.lossgrid.error.LossgridException;

/**
 * The server's data: the bundled channel and the learners' uploads, kept in memory, and one resident
 * engine per data set and lag count, so that the dataset is on the backend once however many
 * requests use it. An engine is not thread-safe: {@link #with} runs one request at a time on it. The
 * least recently used engines and uploads go when there are more than the caps.
 */
final class Residents implements AutoCloseable {
    /** The bundled channel's id in the API. */
    static final String SAMPLE = "sample";
    static final int MAX_UPLOADS = 16;
    static final int MAX_ENGINES = 12;

    private final String backend;
    private final Integer device;
    private final Consumer<String> log;
    private final AtomicInteger uploads = new AtomicInteger();
    private final Map<String, Series> data = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Lossgrid> engines = new LinkedHashMap<>(16, 0.75f, true);

    Residents(String backend, Integer device, Consumer<String> log) {
        this.backend = backend;
        this.device = device;
        this.log = log;
        data.put(SAMPLE, Data.sampleSeries());
    }

    /** Keeps an uploaded series; returns its id. */
    synchronized String add(Series series) {
        String id = "upload-" + uploads.incrementAndGet();
        data.put(id, series);
        while (data.size() > MAX_UPLOADS + 1) {
            String oldest = data.keySet().stream().filter(key -> !key.equals(SAMPLE)).findFirst().orElseThrow();
            data.remove(oldest);
            engines.entrySet().removeIf(entry -> {
                boolean gone = entry.getKey().startsWith(oldest + "/");
                if (gone) {
                    retire(entry.getValue());
                }
                return gone;
            });
        }
        return id;
    }

    synchronized Series series(String id) {
        Series series = data.get(id == null ? SAMPLE : id);
        if (series == null) {
            throw LossgridException.badInput(LossgridException.param("data") + ": no data set '" + id + "' on this server "
                    + "(upload one with POST /api/data; uploads are kept in memory and the oldest go after " + MAX_UPLOADS
                    + ")");
        }
        return series;
    }

    /**
     * Where data set {@code id} splits by default: the book's 2020-12-31 where the data has days on both
     * sides of it, else the day that leaves the last fifth of the days (at least one) for testing.
     */
    LocalDate defaultTrainUntil(String id) {
        Series series = series(id);
        if (series.first().isBefore(Data.DEFAULT_TRAIN_UNTIL) && series.last().isAfter(Data.DEFAULT_TRAIN_UNTIL)) {
            return Data.DEFAULT_TRAIN_UNTIL;
        }
        int testDays = Math.max(1, series.days() / 5);
        return series.last().minusDays(testDays);
    }

    /** Runs {@code work} on the engine of data set {@code id} with {@code lags} lags, alone on that engine. */
    <T> T with(String id, int lags, LocalDate trainUntil, Function<Lossgrid, T> work) {
        Lossgrid engine = engine(id == null ? SAMPLE : id, lags, trainUntil);
        synchronized (engine) {
            return work.apply(engine);
        }
    }

    private synchronized Lossgrid engine(String id, int lags, LocalDate trainUntil) {
        String key = id + "/" + lags + "/" + trainUntil;
        Lossgrid engine = engines.get(key);
        if (engine == null) {
            engine = Lossgrid.open(backend, device, series(id).lagFeatures(lags, trainUntil), log);
            engines.put(key, engine);
            while (engines.size() > MAX_ENGINES) {
                String oldest = engines.keySet().iterator().next();
                retire(engines.remove(oldest));
            }
        }
        return engine;
    }

    /** Closes an engine once the request on it, if any, is done. */
    private static void retire(Lossgrid engine) {
        synchronized (engine) {
            engine.close();
        }
    }

    @Override
    public synchronized void close() {
        engines.values().forEach(Residents::retire);
        engines.clear();
    }
}
