package org.openkms.conformance.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aliyun.kms20160120.models.DescribeKeyRequest;
import com.aliyun.kms20160120.models.EncryptRequest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openkms.conformance.ConformanceBackend;
import org.openkms.conformance.ConformanceServer;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console end to end in a real headless Chromium (the Debian chromium and chromium-driver packages, which
 * scripts/ensure-services.sh installs), against an in-process server: sign-in, a key created and disabled, a secret
 * created, revealed and rotated, the audit log filtered, and a wrong AccessKey refused with the API's error shown.
 * Every test fails if the page threw a JavaScript error or the browser reported one (CSP violations included).
 *
 * <p>Screenshots of the main pages are written to {@code target/console-screenshots} (docs/img holds copies).
 */
@Tag("browser")
class ConsoleBrowserTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private static Path dataDir;
    private static Path profile;
    private static ConformanceServer server;
    private static WebDriver driver;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "): run scripts/ensure-services.sh, which installs the chromium and chromium-driver packages");
        // The console is storage-agnostic: once, on the SQLite run, is enough.
        assumeFalse(ConformanceBackend.postgres(), "browser tests run on the SQLite run only");
        dataDir = Files.createTempDirectory("openkms-console-");
        server = ConformanceServer.start(ConformanceServer.config(dataDir).withHttpsListen(""));
        base = "http://127.0.0.1:" + server.httpPort();
        profile = Files.createTempDirectory("openkms-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // Without the background-networking flags, Chromium keeps trying to reach Google on a closed network.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1360,900",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1360, 900));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (dataDir != null) {
            delete(dataDir);
        }
        if (profile != null) {
            delete(profile);
        }
    }

    @BeforeEach
    void freshTab() {
        driver.get(base + "/console/");
        js("sessionStorage.clear();");
        driver.navigate().refresh();
        waitFor(By.id("signin-form"));
        browserErrors(); // drains the log of what came before
    }

    @AfterEach
    void noJavaScriptErrors() {
        Object errors = js("return window.__consoleErrors || [];");
        assertThat((List<?>) errors).as("JavaScript errors on the page").isEmpty();
        assertThat(browserErrors()).as("errors in the browser log").isEmpty();
    }

    @Test
    void signInShowsTheDashboardWithLiveCharts() throws Exception {
        var kms = server.v2().client();
        String keyId = kms.createKey(new com.aliyun.kms20160120.models.CreateKeyRequest())
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        signIn(ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
        waitFor(By.cssSelector("#dashboard-stats .stat"));
        assertThat(driver.findElement(By.id("who")).getText()).contains(ConformanceServer.ACCESS_KEY_ID);
        // Traffic for the charts: the rate is computed from two scrapes of /metrics.
        long end = System.nanoTime() + Duration.ofSeconds(7).toNanos();
        while (System.nanoTime() < end) {
            kms.encrypt(new EncryptRequest().setKeyId(keyId).setPlaintext("aGVsbG8="));
            Thread.sleep(20);
        }
        new WebDriverWait(driver, Duration.ofSeconds(15))
                .until(d -> !d.findElements(By.cssSelector("#chart-rate path")).isEmpty()
                        && !d.findElements(By.cssSelector("#chart-latency path"))
                                .isEmpty());
        assertThat(driver.findElement(By.id("dashboard-stats")).getText()).contains("Keys");
        int keys = server.v2()
                .client()
                .listKeys(new com.aliyun.kms20160120.models.ListKeysRequest())
                .getBody()
                .getTotalCount();
        assertThat(driver.findElement(By.cssSelector("#dashboard-stats .stat-value"))
                        .getText())
                .isEqualTo(String.valueOf(keys));
        screenshot("dashboard");
        // The secret never left the tab except as signatures: it is in sessionStorage only.
        assertThat(String.valueOf(js("return document.cookie;"))).isEmpty();
        assertThat(String.valueOf(js("return JSON.stringify(localStorage);")))
                .doesNotContain(ConformanceServer.ACCESS_KEY_SECRET);
    }

    @Test
    void createAKeyAndDisableIt() throws Exception {
        signIn(ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
        driver.get(base + "/console/#/keys");
        click(By.id("create-key"));
        String description = "browser key " + UUID.randomUUID();
        waitFor(By.id("key-description")).sendKeys(description);
        click(By.cssSelector(".modal button[type=submit]"));
        WebElement disable = waitFor(By.id("disable-key"));
        String keyId = driver.findElement(By.cssSelector(".page-header h2")).getText();
        assertThat(keyId).matches("key-[0-9a-z-]+");
        assertThat(driver.findElement(By.cssSelector(".page-header p")).getText())
                .isEqualTo(description);
        disable.click();
        waitFor(By.id("enable-key"));
        assertThat(driver.findElement(By.cssSelector("dl.facts .badge")).getText())
                .isEqualTo("Disabled");
        assertThat(server.v2()
                        .client()
                        .describeKey(new DescribeKeyRequest().setKeyId(keyId))
                        .getBody()
                        .getKeyMetadata()
                        .getKeyState())
                .isEqualTo("Disabled");
        // The list, filtered by state, shows it.
        driver.get(base + "/console/#/keys");
        waitFor(By.id("keys-table"));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.cssSelector("select[name=KeyState]")))
                .selectByValue("Disabled");
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("key-list")).getText().contains(keyId));
        assertThat(driver.findElement(By.id("key-list")).getText()).doesNotContain("Enabled");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.cssSelector("select[name=KeyState]")))
                .selectByValue("");
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("key-list")).getText().contains("Enabled"));
        screenshot("keys");
    }

    @Test
    void createASecretRevealItOnlyOnClickAndRotateIt() {
        signIn(ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
        driver.get(base + "/console/#/secrets");
        click(By.id("create-secret"));
        String name = "db-password-" + UUID.randomUUID().toString().substring(0, 8);
        String first = "s3cret-" + UUID.randomUUID();
        waitFor(By.id("secret-name")).sendKeys(name);
        driver.findElement(By.id("secret-value")).sendKeys(first);
        click(By.cssSelector(".modal button[type=submit]"));
        waitFor(By.id("reveal-secret"));
        waitFor(By.cssSelector("#secret-versions tbody tr"));
        // Not fetched until asked for.
        assertThat(driver.getPageSource()).doesNotContain(first);
        click(By.id("reveal-secret"));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBe(By.id("secret-value-shown"), first));
        click(By.id("reveal-secret")); // hide again
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.invisibilityOfElementLocated(By.id("secret-value-shown")));
        assertThat(driver.getPageSource()).doesNotContain(first);

        click(By.id("rotate-secret"));
        String second = "r0tated-" + UUID.randomUUID();
        waitFor(By.id("new-secret-value")).sendKeys(second);
        click(By.cssSelector(".modal button[type=submit]"));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> d.findElements(By.cssSelector("#secret-versions tbody tr"))
                                .size()
                        == 2);
        String versions = driver.findElement(By.id("secret-versions")).getText();
        assertThat(versions).contains("ACSCurrent").contains("ACSPrevious").contains("v1");
        click(By.id("reveal-secret"));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBe(By.id("secret-value-shown"), second));
        // The screenshot shows the page with the value hidden.
        click(By.id("reveal-secret"));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.invisibilityOfElementLocated(By.id("secret-value-shown")));
        screenshot("secret");
    }

    @Test
    void theAuditLogFiltersByAction() throws Exception {
        var kms = server.v2().client();
        String keyId = kms.createKey(new com.aliyun.kms20160120.models.CreateKeyRequest())
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        kms.describeKey(new DescribeKeyRequest().setKeyId(keyId));
        signIn(ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
        driver.get(base + "/console/#/audit");
        waitFor(By.id("audit-table"));
        WebElement action = driver.findElement(By.id("audit-action"));
        action.sendKeys("CreateKey");
        // The audit log is written in the background: search until the call is there.
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
            d.findElement(By.id("audit-search")).click();
            List<WebElement> rows = d.findElements(By.cssSelector("#audit-table tbody tr"));
            return !rows.isEmpty()
                    && d.findElement(By.id("audit-table")).getText().contains(keyId);
        });
        List<WebElement> rows = driver.findElements(By.cssSelector("#audit-table tbody tr"));
        for (WebElement row : rows) {
            assertThat(row.findElements(By.tagName("td")).get(1).getText()).isEqualTo("CreateKey");
        }
        // By resource: the key's two calls, newest first.
        action.clear();
        driver.findElement(By.id("audit-resource")).sendKeys(keyId);
        click(By.id("audit-search"));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d ->
                        d.findElements(By.cssSelector("#audit-table tbody tr")).size() == 2);
        List<WebElement> byKey = driver.findElements(By.cssSelector("#audit-table tbody tr"));
        assertThat(byKey.get(0).findElements(By.tagName("td")).get(1).getText()).isEqualTo("DescribeKey");
        assertThat(byKey.get(1).findElements(By.tagName("td")).get(1).getText()).isEqualTo("CreateKey");
        driver.findElement(By.id("audit-resource")).clear();
        click(By.id("audit-search"));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d ->
                        d.findElements(By.cssSelector("#audit-table tbody tr")).size() > 2);
        screenshot("audit");
    }

    @Test
    void theOtherPagesLoad() {
        signIn(ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
        driver.get(base + "/console/#/instance");
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> waitFor(By.id("instance-ca")).getText().contains("-----BEGIN CERTIFICATE-----"));
        assertThat(driver.findElement(By.id("instance-ca")).getText())
                .isEqualTo(server.server().instanceCaPem().strip());
        driver.get(base + "/console/#/ram");
        waitFor(By.id("create-user"));
        driver.get(base + "/console/#/access-points");
        waitFor(By.id("create-aap"));
        click(By.id("create-aap"));
        String name = "app" + UUID.randomUUID().toString().substring(0, 6);
        waitFor(By.cssSelector(".modal input[name=Name]")).sendKeys(name);
        click(By.cssSelector(".modal button[type=submit]"));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("main")).getText().contains(name));
        click(By.xpath("//tr[td[text()='" + name + "']]//button[text()='Create client key']"));
        click(By.cssSelector(".modal button[type=submit]"));
        // The ClientKey file and its password are offered once, built in the page.
        waitFor(By.id("download-clientkey"));
        waitFor(By.id("download-password"));
        click(By.cssSelector("[data-role=close]"));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("main")).getText().contains("KAAP."));
    }

    @Test
    void aWrongAccessKeyIsRefusedWithTheApiError() {
        signInExpectingError("LTAInoSuchKey0000", "whatever-secret", "InvalidAccessKeyId.NotFound");
        // The right id with the wrong secret: the signature does not match.
        signInExpectingError(ConformanceServer.ACCESS_KEY_ID, "not-the-secret", "SignatureDoesNotMatch");
        assertThat(js("return sessionStorage.length;")).isEqualTo(0L);
        assertThat(driver.findElement(By.id("app")).isDisplayed()).isFalse();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void signIn(String id, String secret) {
        waitFor(By.id("signin-id")).clear();
        driver.findElement(By.id("signin-id")).sendKeys(id);
        driver.findElement(By.id("signin-secret")).sendKeys(secret);
        click(By.id("signin-submit"));
        waitFor(By.cssSelector("#main .page"));
    }

    private void signInExpectingError(String id, String secret, String code) {
        waitFor(By.id("signin-id")).clear();
        driver.findElement(By.id("signin-id")).sendKeys(id);
        driver.findElement(By.id("signin-secret")).clear();
        driver.findElement(By.id("signin-secret")).sendKeys(secret);
        click(By.id("signin-submit"));
        WebElement error = new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> error.getText().contains(code));
    }

    /** Waits for an element; a timeout says what the page showed instead (an API error box, say). */
    private WebElement waitFor(By by) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(15))
                    .until(ExpectedConditions.visibilityOfElementLocated(by));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(
                    "no " + by + " on " + driver.getCurrentUrl() + "; the page shows: "
                            + driver.findElement(By.tagName("body")).getText() + "; errors: "
                            + js("return window.__consoleErrors;") + " " + browserErrors(),
                    e);
        }
    }

    private void click(By by) {
        new WebDriverWait(driver, Duration.ofSeconds(15))
                .until(ExpectedConditions.elementToBeClickable(by))
                .click();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /**
     * The browser's SEVERE log entries, except failed requests: an API call answered with an error status is
     * logged by Chromium as "Failed to load resource", which the wrong-AccessKey test provokes on purpose.
     */
    private static List<String> browserErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
    }

    private void screenshot(String page) throws RuntimeException {
        try {
            Path dir = Path.of("target", "console-screenshots");
            Files.createDirectories(dir);
            js("document.getElementById('toasts').replaceChildren();");
            Files.write(
                    dir.resolve("console-" + page + ".png"),
                    ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory: nothing else to do
        }
    }
}
