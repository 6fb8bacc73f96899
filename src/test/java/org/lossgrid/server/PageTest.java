package org.lossgrid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossgrid.api.Data;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: Debian's chromium driven by its chromium-driver through Selenium, on a
 * real server. Skips where they are not installed, unless LOSSGRID_REQUIRE_BROWSER=1 (CI), where it
 * fails instead. Nothing is downloaded: the driver is named explicitly.
 */
class PageTest {
    private static final File DRIVER = new File("/usr/bin/chromedriver");
    private static final String BROWSER = "/usr/bin/chromium";
    private static LessonServer server;
    private static WebDriver driver;

    @BeforeAll
    static void start() {
        boolean present = DRIVER.canExecute() && new File(BROWSER).canExecute();
        if (System.getenv("LOSSGRID_REQUIRE_BROWSER") != null) {
            assertTrue(present, "LOSSGRID_REQUIRE_BROWSER is set but " + DRIVER + " or " + BROWSER + " is missing "
                    + "(Debian: apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(present, "no chromium and chromium-driver here (Debian: apt-get install chromium chromium-driver)");
        server = LessonServer.start("127.0.0.1", 0, "cpu", null, message -> { });
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static WebDriverWait waiting(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    private static void waitForState(String state, int seconds) {
        waiting(seconds).until(d -> state.equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
    }

    private static void screenshot(String name) throws java.io.IOException {
        Path target = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), target,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Clicks the surface where (w, b) is, by the page's own pixel mapping. */
    private static void clickAt(double w, double b) {
        WebElement canvas = driver.findElement(By.id("surface"));
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) ((JavascriptExecutor) driver).executeScript(
                "const p = toPixel(arguments[0], arguments[1]); const r = arguments[2].getBoundingClientRect();"
                        + " return [p[0] * r.width / arguments[2].width - r.width / 2,"
                        + " p[1] * r.height / arguments[2].height - r.height / 2];", w, b, canvas);
        new Actions(driver).moveToElement(canvas, at.get(0).intValue(), at.get(1).intValue()).click().perform();
    }

    @Test
    void aLearnerClicksWatchesDivergesAndSwitchesToChinese() throws Exception {
        driver.manage().window().setSize(new Dimension(1280, 800));
        driver.get(server.url().toString());
        waitForState("ready", 30);
        screenshot("page-1280x800-en");

        driver.findElement(By.id("loss")).sendKeys("MSE");
        waitForState("ready", 30);
        ((JavascriptExecutor) driver).executeScript("document.getElementById('speed').value = 60;"
                + " document.getElementById('steps').value = 3000;");
        clickAt(0.2, 1000);
        waitForState("done", 60);
        ExactOptimum.Fit exact = ExactOptimum.fit(Loss.MSE, Data.sample(1).train(), true);
        double w = Double.parseDouble(driver.findElement(By.id("final-w")).getText());
        double b = Double.parseDouble(driver.findElement(By.id("final-b")).getText());
        assertEquals(exact.params().w(0), w, 1e-4 * Math.abs(exact.params().w(0)), "w at the end of the descent");
        assertEquals(exact.params().b(), b, 1e-3 * Math.abs(exact.params().b()), "b at the end of the descent");
        assertFalse(driver.findElement(By.id("message")).isDisplayed(), "no message after a good run");
        screenshot("page-descent-en");

        driver.findElement(By.cssSelector("[data-preset='1.15']")).click();
        waitForState("done", 60);
        WebElement message = driver.findElement(By.id("message"));
        assertTrue(message.isDisplayed() && message.getText().contains("diverged at step"), message.getText());
        screenshot("page-diverged-en");

        driver.findElement(By.id("lang")).click();
        waiting(20).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "误差表面"));
        assertTrue(driver.findElement(By.cssSelector("[data-text='web.lr']")).getText().contains("学习率"));
        screenshot("page-1280x800-zh");

        driver.manage().window().setSize(new Dimension(390, 844));
        Thread.sleep(300);
        screenshot("page-phone-zh");

        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertTrue(errors.isEmpty(), "errors in the browser console: " + errors);
    }
}
