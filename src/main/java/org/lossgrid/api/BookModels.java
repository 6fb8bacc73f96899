package org.lossgrid.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.reference.Reference;

/**
 * The table of 《深度学习详解》 §1.2 (the 2021 lecture slides it follows): the linear model, sums of 10,
 * 100 and 1000 sigmoids, and 1 to 4 layers of 100 ReLUs, each on 56 days of lags, with the MAE on the
 * training years 2017-2020 (L) and on 2021 (L'). Ours are trained here on the bundled channel and always
 * shown beside the book's: the linear row is the exact MAE optimum (the best any linear model reaches),
 * every network is trained with the same settings.
 */
public final class BookModels {
    /** The lags of every row of the book's table. */
    public static final int LAGS = 56;
    /** The book's loss. */
    public static final Loss LOSS = Loss.MAE;

    /** A row of the book's table: the model, as {@code --model} names it, and the book's L and L' in views. */
    public record Row(String model, double bookTrain, double bookTest) {
        public ModelSpec spec() {
            return ModelSpec.parse(model);
        }
    }

    /** The book's rows, in its order (0.32k is 320 views). */
    public static final List<Row> BOOK = List.of(new Row("linear", 320, 460), new Row("sigmoid:10", 320, 450),
            new Row("sigmoid:100", 280, 430), new Row("sigmoid:1000", 270, 430), new Row("relu:100", 280, 430),
            new Row("relu:100x2", 180, 390), new Row("relu:100x3", 140, 380), new Row("relu:100x4", 100, 440));

    /**
     * A row trained here: the book's row, our L and L' (NaN where training diverged), whether the row is
     * the exact optimum rather than trained, what diverged (null if nothing), and the wall seconds it took.
     */
    public record Result(Row row, double train, double test, boolean exact, String divergence, double seconds) {
    }

    private BookModels() {
    }

    /**
     * Every row of {@code rows} on {@code lg}'s samples (which must have {@link #LAGS} lags), in order; a
     * network is trained with {@code template}'s settings and the row's model. Each result goes to
     * {@code done} as soon as its row is finished.
     */
    public static List<Result> train(Lossgrid lg, Training.Builder template, List<Row> rows, Consumer<Result> done) {
        List<Result> results = new ArrayList<>();
        for (Row row : rows) {
            long start = System.nanoTime();
            Result result;
            if (row.spec().linear()) {
                ExactOptimum.Fit fit = lg.optimum(LOSS);
                result = new Result(row, fit.loss(), Reference.loss(LOSS, lg.data().test(), fit.params()), true, null,
                        seconds(start));
            } else {
                TrainedNetwork trained = lg.trainNetwork(template.model(row.spec()).build());
                result = new Result(row, trained.trainLoss(), trained.testLoss(), false, trained.divergence(),
                        seconds(start));
            }
            results.add(result);
            done.accept(result);
        }
        return results;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
