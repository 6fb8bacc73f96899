package org.lossgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossgrid.api.Data;
import org.lossgrid.i18n.Language;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.output.DescentAnimation;
import org.lossgrid.output.FigureText;
import org.lossgrid.reference.Reference;
import org.lossgrid.report.Json;

/** The lesson's figures and what they claim: predictions, the curve and its tangent, the GIF's frames, Chinese. */
class LessonFiguresTest {
    @TempDir
    Path folder;

    private String out(String name) {
        return folder.resolve(name).toString();
    }

    @Test
    void predictionsAreTheModelOfTheReportedParameters() throws IOException {
        Cli cli = Cli.run("predict", "--lags", "7", "--csv", out("p.csv"), "--png", out("p.png"), "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode params = Json.MAPPER.readTree(cli.out()).get("params");
        double b = params.get("b").asDouble();
        List<String> lines = Files.readAllLines(folder.resolve("p.csv"));
        assertEquals("date,views,predicted", lines.get(0));
        double[] views = Data.sampleSeries().views();
        int first = views.length - (lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            int t = first + i - 1;
            double expected = b;
            for (int j = 1; j <= 7; j++) {
                expected += params.get("w").get(j - 1).asDouble() * views[t - j];
            }
            assertEquals(views[t], Double.parseDouble(cells[1]));
            assertEquals(expected, Double.parseDouble(cells[2]), 1e-9 * Math.abs(expected), lines.get(i));
        }
        assertEquals("2021-12-31", lines.get(lines.size() - 1).split(",")[0]);
        assertTrue(Files.size(folder.resolve("p.png")) > 10_000);
    }

    @Test
    void theCurveIsTheSurfaceAlongItsLineAndTheTangentItsDerivative() throws IOException {
        Cli cli = Cli.run("curve", "--param", "w1", "--range", "0.5:1.5:101", "--at", "b=100", "--w0", "0.8013",
                "--loss", "mse", "--csv", out("c.csv"), "--png", out("c.png"), "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        List<String> lines = Files.readAllLines(folder.resolve("c.csv"));
        assertEquals("w1,loss", lines.get(0));
        Cli surface = Cli.run("surface", "--loss", "mse", "--method", "brute", "--w", "0.5:1.5:101", "--b", "100:100:1",
                "--npy", out("s.npy"));
        assertEquals(0, surface.exitCode(), surface.err());
        byte[] npy = Files.readAllBytes(folder.resolve("s.npy"));
        java.nio.ByteBuffer values = java.nio.ByteBuffer.wrap(npy, 128, npy.length - 128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i < lines.size(); i++) {
            double curve = Double.parseDouble(lines.get(i).split(",")[1]);
            assertEquals(curve, values.getFloat(), 1e-5 * curve, lines.get(i));
        }
        JsonNode summary = Json.MAPPER.readTree(cli.out());
        var train = Data.sample(1).train();
        double h = 1e-6;
        double up = Reference.loss(Loss.MSE, train, new Params(100, new double[] {0.8013 + h}));
        double down = Reference.loss(Loss.MSE, train, new Params(100, new double[] {0.8013 - h}));
        double slope = summary.get("slope").asDouble();
        assertEquals((up - down) / (2 * h), slope, 1e-4 * Math.abs(slope));
        double at = summary.get("minimum").get("w1").asDouble();
        double there = summary.get("minimum").get("loss").asDouble();
        for (double d : new double[] {-1e-4, 1e-4}) {
            assertTrue(Reference.loss(Loss.MSE, train, new Params(100, new double[] {at + d})) >= there);
        }
    }

    @Test
    void theGifHasTheFramesAndDelaysItClaims() throws IOException {
        Cli cli = Cli.run("train", "--steps", "400", "--gif", out("d.gif"), "--backend", "cpu");
        assertEquals(0, cli.exitCode(), cli.err());
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(folder.resolve("d.gif").toFile())) {
            reader.setInput(in);
            int frames = reader.getNumImages(true);
            assertTrue(frames >= 60 && frames <= DescentAnimation.MAX_FRAMES, frames + " frames");
            for (int f = 0; f < frames; f++) {
                IIOMetadataNode tree = (IIOMetadataNode) reader.getImageMetadata(f).getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode control = (IIOMetadataNode) tree.getElementsByTagName("GraphicControlExtension").item(0);
                int expected = f == frames - 1 ? DescentAnimation.HOLD : DescentAnimation.DELAY;
                assertEquals(Integer.toString(expected), control.getAttribute("delayTime"), "frame " + f);
            }
            IIOMetadataNode stream = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            assertNotNull(stream.getElementsByTagName("ApplicationExtension").item(0), "the loop extension");
        } finally {
            reader.dispose();
        }
    }

    @Test
    void chineseFiguresUseAFontThatDrawsEveryString() {
        FigureText text = FigureText.of(Language.ZH);
        org.junit.jupiter.api.Assumptions.assumeTrue(!text.fellBack(), "no CJK font here (CI installs fonts-wqy-microhei)");
        Font font = text.font(Font.PLAIN, 12);
        java.util.ResourceBundle bundle = java.util.ResourceBundle.getBundle("org.lossgrid.i18n.messages", Language.ZH.locale(),
                java.util.ResourceBundle.Control.getNoFallbackControl(java.util.ResourceBundle.Control.FORMAT_PROPERTIES));
        for (String key : bundle.keySet()) {
            String drawn = text.get(key, 1, 2, 3, 4, 5, 6, 7);
            assertEquals(-1, font.canDisplayUpTo(drawn), key + ": " + drawn);
        }
        assertTrue(text.get("surface.title", "MAE", "x").contains("误差表面"));
        assertTrue(text.get("sweep.lr").contains("学习率"));
    }

    @Test
    void theLanguageFollowsTheEnvironmentUnlessAsked() {
        assertEquals(Language.ZH, Language.parse(null, java.util.Map.of("LANG", "zh_CN.UTF-8")));
        assertEquals(Language.EN, Language.parse(null, java.util.Map.of("LC_ALL", "C", "LANG", "zh_CN.UTF-8")));
        assertEquals(Language.EN, Language.parse("en", java.util.Map.of("LANG", "zh_CN.UTF-8")));
        assertEquals(Language.ZH, Language.parse("zh", java.util.Map.of()));
        assertEquals(2, Cli.run("series", "--lang", "fr").exitCode());
    }
}
