(ns sample.lambdas
  "Ion lambda entry points: each takes {:input json-string} and returns a string."
  (:require [clojure.data.json :as json]
            [sample.items :as items]))

(defn echo
  [{:keys [input]}]
  (json/write-str {:input input :time (str (java.time.Instant/now))}))

(defn items
  [{:keys [input]}]
  (let [{:strs [max-price]} (when (seq input) (json/read-str input))]
    (json/write-str (items/list-items max-price))))
