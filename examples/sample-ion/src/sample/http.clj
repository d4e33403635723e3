(ns sample.http
  "The HTTP direct handler: a ring handler serving the items as JSON."
  (:require [clojure.data.json :as json]
            [sample.items :as items]))

(defn handler
  [{:keys [uri]}]
  (case uri
    "/items" {:status 200
              :headers {"content-type" "application/json"}
              :body (json/write-str (items/list-items nil))}
    "/health" {:status 200 :headers {"content-type" "text/plain"} :body "ok"}
    {:status 404 :headers {"content-type" "text/plain"} :body "not found"}))
