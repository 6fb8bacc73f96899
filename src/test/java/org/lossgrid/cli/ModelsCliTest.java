package org.lossgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossgrid.api.BookModels;
import org.lossgrid.api.Data;
import org.lossgrid.data.Split;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.reference.Reference;
import org.lossgrid.report.Json;

/** {@code lossgrid models}: the book's table of §1.2, ours beside the book's (issue 17). */
class ModelsCliTest {
    @TempDir
    Path folder;

    @Test
    void rowsComeInTheBooksOrderBesideTheBooksNumbers() throws IOException {
        Path png = folder.resolve("models.png");
        Path csv = folder.resolve("models.csv");
        Cli cli = Cli.run("models", "--backend", "cpu", "--only", "relu:100x1,linear", "--epochs", "3", "--png", png.toString(),
                "--csv", csv.toString(), "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode summary = Json.MAPPER.readTree(cli.out());
        assertEquals(56, summary.get("lags").asInt());
        JsonNode rows = summary.get("models");
        assertEquals(2, rows.size(), cli.out());
        assertEquals("relu:100", rows.get(1).get("model").asText(), "relu:100x1 is the book's relu:100, after linear");
        Split data = Data.sample(BookModels.LAGS);
        ExactOptimum.Fit fit = ExactOptimum.fit(Loss.MAE, data.train(), true);
        JsonNode linear = rows.get(0);
        assertEquals("linear", linear.get("model").asText());
        assertTrue(linear.get("exact").asBoolean());
        assertEquals(fit.loss(), linear.get("train_loss").asDouble(), 1e-9 * fit.loss());
        double test = Reference.loss(Loss.MAE, data.test(), fit.params());
        assertEquals(test, linear.get("test_loss").asDouble(), 1e-9 * test);
        assertEquals(320, linear.get("book_train_loss").asDouble());
        assertEquals(460, linear.get("book_test_loss").asDouble());
        assertTrue(Files.size(png) > 10_000);
        assertTrue(Files.readString(csv).startsWith("model,train_loss,test_loss,book_train_loss,book_test_loss"));
    }

    @Test
    void aNetworkRowIsTrainedAndTimed() throws IOException {
        Cli cli = Cli.run("models", "--backend", "cpu", "--only", "sigmoid:10", "--epochs", "2", "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode row = Json.MAPPER.readTree(cli.out()).get("models").get(0);
        assertEquals("sigmoid:10", row.get("model").asText());
        assertFalse(row.get("exact").asBoolean());
        assertTrue(row.get("train_loss").asDouble() > 0 && row.get("test_loss").asDouble() > 0, row.toString());
        assertTrue(row.get("seconds").asDouble() > 0);
    }

    @Test
    void badInputIsExitTwoWithoutFiles() throws IOException {
        Path png = folder.resolve("bad.png");
        for (String[] args : new String[][] {{"--only", "relu:7"}, {"--only", "tanh:3"}, {"--epochs", "0"}, {"--batch", "0"}}) {
            String[] full = new String[args.length + 4];
            full[0] = "models";
            full[1] = "--png";
            full[2] = png.toString();
            full[3] = "--backend=cpu";
            System.arraycopy(args, 0, full, 4, args.length);
            Cli cli = Cli.run(full);
            assertEquals(2, cli.exitCode(), String.join(" ", args) + ": " + cli.err());
            assertTrue(cli.err().contains(args[0]), cli.err());
            assertFalse(Files.exists(png));
        }
    }
}
