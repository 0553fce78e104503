/** A data set in dcmjs's naturalized form: attribute keywords to values (sequences as arrays of data sets). */
export type NaturalDataset = Record<string, any>;
